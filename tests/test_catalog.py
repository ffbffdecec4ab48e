import csv
from importlib import resources

import pytest
from openpyxl import Workbook

from workbook import catalog
from workbook.catalog import Catalog, economic, functional, load_catalog_file, merged, normalize_code
from workbook.errors import BudgetbookError


def _csv_codes(filename):
    text = resources.files("workbook.catalogs").joinpath(filename).read_text(encoding="utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == ["code", "name"]
    return [r[0] for r in rows[1:]]


def test_bundled_catalogues_load():
    eco, fun = economic(), functional()
    assert eco.complete and not fun.complete
    assert eco.edition == fun.edition == "2024"
    assert "2024年政府收支分类科目" in eco.source
    assert economic() is eco  # cached


@pytest.mark.parametrize(
    "cat, code, name",
    [
        ("economic", "30112", "其他社会保障缴费"),
        ("economic", "30212", "因公出国（境）费用"),
        ("economic", "30213", "维修（护）费"),
        ("economic", "30231", "公务用车运行维护费"),
        ("economic", "31013", "公务用车购置"),
        ("economic", "399", "其他支出"),
        ("functional", "207", "文化旅游体育与传媒支出"),
        ("functional", "227", "预备费"),
        ("functional", "2010301", "行政运行"),
        ("functional", "2010399", "其他政府办公厅（室）及相关机构事务支出"),
        ("functional", "2080505", "机关事业单位基本养老保险缴费支出"),
        ("functional", "2101101", "行政单位医疗"),
        ("functional", "2210201", "住房公积金"),
    ],
)
def test_real_names(cat, code, name):
    assert getattr(catalog, cat)().name(code) == name


def test_every_functional_class_present_and_named_as_2024():
    fun = functional()
    classes = [c for c in fun.names if len(c) == 3]
    expected = [str(c) for c in range(201, 218)] + ["219", "220", "221", "222", "223", "224"]
    expected += ["227", "229", "230", "231", "232", "233", "234"]
    assert sorted(classes) == expected
    for code in classes:
        assert code == "227" or fun.name(code).endswith("支出")


def test_economic_hierarchy():
    eco = economic()
    classes = {c for c in eco.names if len(c) == 3}
    assert classes == {"301", "302", "303", "307", "309", "310", "311", "312", "313", "399"}
    for code in eco.names:
        assert len(code) in (3, 5)
        if len(code) == 5:
            assert eco.parent(code) in eco
            assert eco.level(code) == "款"


def test_functional_hierarchy():
    fun = functional()
    for code in fun.names:
        assert len(code) in (3, 5, 7)
        if len(code) == 7:
            assert fun.parent(code) in fun, code
            assert fun.parent(fun.parent(code)) in fun, code


@pytest.mark.parametrize("filename", ["economic.csv", "functional.csv"])
def test_no_duplicate_codes_and_sorted(filename):
    codes = _csv_codes(filename)
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)  # string order is the hierarchical order


def test_parent_and_level():
    assert Catalog.parent("2010301") == "20103"
    assert Catalog.parent("20103") == "201"
    assert Catalog.parent("201") is None
    assert Catalog.parent("abc") is None
    assert [Catalog.level(c) for c in ("201", "20103", "2010301")] == ["类", "款", "项"]
    assert Catalog.level("2010") is None


def test_normalize_name():
    n = Catalog.normalize_name
    assert n("维修(护)费") == n("维修（护）费") == "维修（护）费"
    assert n(" 行政\u3000运行 ") == n("行政运行")
    assert n("因公出国(境)费用\u00a0") == n("因公出国（境）费用")
    assert n(None) == ""


def test_normalize_code_and_lookup():
    assert normalize_code(2010301.0) == "2010301"
    assert normalize_code(30112) == "30112"
    assert normalize_code(" 201 ") == "201"
    assert normalize_code("2010301.0") == "2010301"
    assert normalize_code(2010301.5) is None
    assert normalize_code("2010") is None
    assert normalize_code(True) is None
    assert 30112 in economic()
    assert economic().name(30112.0) == "其他社会保障缴费"
    assert "99999" not in economic()


def test_load_xlsx_numeric_codes_with_header(tmp_path):
    path = tmp_path / "codes.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["科目编码", "科目名称"])
    ws.append([201, "一般公共服务支出"])
    ws.append([20103.0, "政府办公厅（室）及相关机构事务"])
    ws.append([None, None])  # blank row
    ws.append([2010301.0, "行政运行"])
    ws.append(["2010302", " 一般行政管理事务 "])
    wb.save(path)

    cat = load_catalog_file(path)
    assert cat.names == {
        "201": "一般公共服务支出",
        "20103": "政府办公厅（室）及相关机构事务",
        "2010301": "行政运行",
        "2010302": "一般行政管理事务",
    }
    assert cat.complete and cat.source == str(path)


def test_load_xlsx_without_header(tmp_path):
    path = tmp_path / "codes.xlsx"
    wb = Workbook()
    wb.active.append([30112, "其他社会保障缴费"])
    wb.save(path)
    assert load_catalog_file(path).names == {"30112": "其他社会保障缴费"}


def test_load_csv(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("编码,名称\n2010301,行政运行\n\n2080505,机关事业单位基本养老保险缴费支出\n", encoding="utf-8-sig")
    cat = load_catalog_file(path)
    assert cat.names == {"2010301": "行政运行", "2080505": "机关事业单位基本养老保险缴费支出"}


def test_load_gbk_csv(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_bytes("编码,名称\n2010301,行政运行\n".encode("gbk"))
    assert load_catalog_file(path).name("2010301") == "行政运行"


def test_bad_cell_names_file_and_cell(tmp_path):
    path = tmp_path / "codes.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["编码", "名称"])
    ws.append([201, "一般公共服务支出"])
    ws.append([20103, "政府办公厅（室）及相关机构事务"])
    ws.append([2010301, "行政运行"])
    ws.append(["abc", "坏行"])
    wb.save(path)
    with pytest.raises(BudgetbookError) as exc:
        load_catalog_file(path)
    assert str(exc.value) == f"{path} 的 A5 单元格不是有效的科目编码：abc"


def test_title_rows_skipped_and_row_numbers_survive_gaps(tmp_path):
    path = tmp_path / "codes.xlsx"
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "2024年支出功能分类科目"
    ws["A3"], ws["B3"] = "编码", "名称"
    ws["A4"], ws["B4"] = 201, "一般公共服务支出"
    ws["A9"], ws["B9"] = "20x", "坏行"
    wb.save(path)
    with pytest.raises(BudgetbookError, match="A9 单元格不是有效的科目编码：20x"):
        load_catalog_file(path)


def test_bad_files(tmp_path):
    missing = tmp_path / "none.xlsx"
    with pytest.raises(BudgetbookError, match="找不到"):
        load_catalog_file(missing)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(BudgetbookError, match="broken.xlsx"):
        load_catalog_file(broken)
    empty = tmp_path / "empty.csv"
    empty.write_text("编码,名称\n", encoding="utf-8")
    with pytest.raises(BudgetbookError, match="empty.csv"):
        load_catalog_file(empty)
    noname = tmp_path / "noname.csv"
    noname.write_text("201,一般公共服务支出\n20103,\n", encoding="utf-8")
    with pytest.raises(BudgetbookError, match="B2"):
        load_catalog_file(noname)
    old = tmp_path / "codes.xls"
    old.write_bytes(b"x")
    with pytest.raises(BudgetbookError, match=r"\.xlsx"):
        load_catalog_file(old)


def test_conflicting_duplicate_code(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("30213,维修(护)费\n30213,维修（护）费\n30213,修缮费\n", encoding="utf-8")
    with pytest.raises(BudgetbookError, match="A3.*30213"):
        load_catalog_file(path)


def test_merged_override_wins():
    bureau = Catalog({"2010301": "行政运行", "2019999": "其他一般公共服务支出(地方)"}, "", "局发目录.xlsx", True)
    both = merged(functional(), bureau)
    assert both.name("2019999") == "其他一般公共服务支出(地方)"
    assert both.name("207") == "文化旅游体育与传媒支出"
    assert both.complete
    assert both.edition == "2024"
    assert not merged(functional(), Catalog({}, "", "x", False)).complete
