"""The bundled catalogue data (workbook/catalogs/*.csv) and its editions.

Names are spot-checked against the reference disclosure (shared/seeds/000_0dad3ddfc7bb2d98.txt,
临夏市人民政府办公室 2024 年部门预算, 表六/表七), shared/domain.md and the 2024 部门决算 of
上海市普陀区 units listed in workbook/catalogs/README.md.
"""
from __future__ import annotations

import csv
from importlib import resources

import pytest

from workbook import catalog
from workbook.catalog import Catalog, changes, covers, economic, edition_for, functional

FILES = ["functional.csv", "economic.csv"]


def _rows(filename):
    text = resources.files("workbook.catalogs").joinpath(filename).read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["code", "name"]
    return rows[1:]


@pytest.mark.parametrize("filename", FILES)
def test_every_row_well_formed_unique_sorted_with_parent(filename):
    rows = _rows(filename)
    codes = [code for code, _ in rows]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)
    known = set(codes)
    for code, name in rows:
        assert code.isascii() and code.isdigit() and len(code) in (3, 5, 7), code
        assert "00" not in (code[3:5], code[5:7]), code  # 款 and 项 number from 01
        assert code[0] == ("3" if filename == "economic.csv" else "2"), code
        assert name and name == name.strip() and " " not in name and "\u3000" not in name, code
        assert "(" not in name and ")" not in name, code  # full-width brackets, as printed
        if len(code) > 3:
            assert code[:-2] in known, code


def test_functional_classes_are_named_as_2024():
    for code, name in _rows("functional.csv"):
        if len(code) == 3:
            assert code == "227" or name.endswith("支出"), code
    fun = functional()
    assert fun.name("207") == "文化旅游体育与传媒支出"
    assert fun.name("224") == "灾害防治及应急管理支出"
    assert fun.name("215") == "资源勘探工业信息等支出"
    assert fun.name("220") == "自然资源海洋气象等支出"


# 表六/表七 of the reference disclosure, as printed (表七 30112 is misprinted there: 其他社保保障缴费)
REFERENCE = {
    "201": "一般公共服务支出", "20103": "政府办公厅（室）及相关机构事务", "2010301": "行政运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出", "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出", "2080505": "机关事业单位基本养老保险缴费支出", "210": "卫生健康支出",
    "21011": "行政事业单位医疗", "2101101": "行政单位医疗", "2101103": "公务员医疗补助",
    "2101199": "其他行政事业单位医疗支出",
    "301": "工资福利支出", "30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费", "30110": "职工基本医疗保险缴费", "30111": "公务员医疗补助缴费",
    "30199": "其他工资福利支出", "302": "商品和服务支出", "30201": "办公费", "30202": "印刷费",
    "30207": "邮电费", "30211": "差旅费", "30213": "维修（护）费", "30226": "劳务费", "30228": "工会经费",
    "30229": "福利费", "30231": "公务用车运行维护费", "30239": "其他交通费用", "303": "对个人和家庭的补助",
    "30305": "生活补助", "310": "资本性支出", "31002": "办公设备购置",
}
# domain.md, the 2024 部门决算 of 上海市普陀区 (财政局, 规划和自然资源局, 区委社会工作部) and two
# of its 2026 部门预算
DOCUMENTS = {
    "2010302": "一般行政管理事务", "2010303": "机关服务", "2010350": "事业运行",
    "2080501": "行政单位离退休", "2080502": "事业单位离退休", "2080506": "机关事业单位职业年金缴费支出",
    "2080599": "其他行政事业单位养老支出", "2101102": "事业单位医疗", "22102": "住房改革支出",
    "2210201": "住房公积金", "2210202": "提租补贴", "2210203": "购房补贴", "20139": "社会工作事务",
    "2013901": "行政运行", "2013950": "事业运行", "2013999": "其他社会工作事务支出",
    "21201": "城乡社区管理事务", "2120101": "行政运行", "21202": "城乡社区规划与管理",
    "2120201": "城乡社区规划与管理", "22001": "自然资源事务", "2200150": "事业运行",
    "2200199": "其他自然资源事务支出", "2050205": "高等教育", "20502": "普通教育",
    "30112": "其他社会保障缴费", "30212": "因公出国（境）费用", "30240": "税金及附加费用",
    "30303": "退职（役）费", "30311": "代缴社会保险费", "31013": "公务用车购置", "31022": "无形资产购置",
    # 2026 部门预算 of 普陀区 文化和旅游局 / 城市管理行政执法局
    "2070104": "图书馆", "2070105": "文化展示及纪念机构", "2070109": "群众文化", "2070114": "文化和旅游管理事务",
    "2079903": "文化产业发展专项支出", "2150899": "其他支持中小企业发展和管理支出", "2120104": "城管执法",
    "2080801": "死亡抚恤", "30227": "委托业务费", "30302": "退休费", "31003": "专用设备购置",
}


@pytest.mark.parametrize("code, name", sorted({**REFERENCE, **DOCUMENTS}.items()))
def test_names_as_printed_in_real_documents(code, name):
    cat = economic() if code.startswith("3") else functional()
    assert cat.name(code) == name


# --- editions ----------------------------------------------------------------------------------

def test_edition_by_budget_year():
    assert catalog.EDITIONS == ("2024", "2025")
    assert functional() is functional(2024) and functional().edition == "2024"
    assert functional(2025).edition == "2025" and "2025年政府收支分类科目" in functional(2025).source
    assert functional(2027) is functional(2025)  # the nearest edition
    assert functional(2019) is functional(2024)
    assert functional("2025") is functional(2025)
    assert [edition_for(y) for y in (None, 2023, 2024, 2025, 2026)] == ["2024", "2024", "2024", "2025", "2025"]
    assert covers(2024) and covers(2025) and not covers(2026) and not covers(2023) and not covers(None)
    assert economic(2025) is economic() and economic().complete
    assert not functional(2025).complete


def test_2025_changes_applied_to_2024():
    found = changes("2025")
    assert ("added", "22911", "中央金融机构注资特别国债财务基金支出") in found
    old, new = functional(2024), functional(2025)
    for kind, code, name in found:
        if kind == "removed":
            assert code in old and code not in new
        else:
            assert new.name(code) == name
            assert len(code) == 3 or Catalog.parent(code) in new, code
            assert (code in old) == (kind == "renamed"), code
    assert "22911" not in old
    untouched = {code for _, code, _ in found}
    assert {c: n for c, n in old.names.items() if c not in untouched} == \
           {c: n for c, n in new.names.items() if c not in untouched}
    codes = list(new.names)
    assert codes == sorted(codes)


def test_changes_file_is_checked(monkeypatch):
    from workbook.errors import BudgetbookError

    monkeypatch.setattr(catalog, "_bundled_text", lambda filename: "change,code,name\nadded,2x,坏行\n")
    changes.cache_clear()
    try:
        with pytest.raises(BudgetbookError, match="第 2 行"):
            changes("2025")
    finally:
        monkeypatch.undo()
        changes.cache_clear()
    assert changes("2025")  # the real file again
