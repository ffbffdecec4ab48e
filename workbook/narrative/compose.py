"""The 情况说明's text, paragraph by paragraph, in the structure and wording of the reference.

Every figure comes from Facts (this year) and Prior (last year); every text from the 基本情况
sheet. What is missing stays visible as 【请填写：…】 (a Blank, which also says where to type it):
nothing is invented. Changes are stated on last year's base, with 增加/减少 and 增长/下降 by sign,
持平 when equal and 新增 (no percentage) when last year had nothing; shares have two decimals
and add up to exactly 100.00 % (largest remainder rule), as the text says.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .. import catalog, spec
from ..money import ZERO
from ..numerals import chinese_number
from .facts import PROCUREMENT, SANGONG_PARTS, Facts, Prior, item_words, percent, shares
from ..info import FIELDS, Info, item_key

PARTS = ("第一部分 部门概况", "第二部分 {year}年部门预算情况说明", "第三部分 {year}年部门预算公开表")
PART1 = ("一、部门职责", "二、机构设置情况")
SECTIONS = ("一、收支总体情况", "二、一般公共预算情况", "三、一般公共预算财政拨款“三公”经费、培训费、会议费情况",
            "四、一般公共预算财政拨款机关运行经费情况", "五、政府采购安排情况", "六、国有资产占用情况",
            "七、其他重要事项情况说明", "八、预算绩效管理情况", "九、名词解释")
SHARES_NOTE = "占比保留两位小数，按最大余额法调整尾差，各部分合计为100.00%。"  # a footnote, once

GLOSSARY = (
    "1.财政拨款：指由一般公共预算、政府性基金预算、国有资本经营预算安排的财政拨款数。",
    "2.一般公共预算：包括公共财政拨款（补助）资金、专项收入。",
    "3.财政专户管理资金：包括专户管理行政事业性收费（主要是教育收费）、其他非税收入。",
    "4.其他资金：包括事业收入、事业单位经营收入、其他收入等。",
    "5.基本支出：包括人员经费、公用经费。其中，人员经费包括工资福利支出、对个人和家庭的补助。",
    "6.项目支出：部门支出预算的组成部分，是各部门为完成其特定的行政任务或事业发展目标，在基本支出预算之外编制的年度项目支出计划。",
    "7.“三公”经费：指因公出国（境）费、公务用车购置及运行维护费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）"
    "的国际旅费、国外城市间交通费、住宿费、伙食费、培训费、公杂费等支出；公务用车购置及运行维护费反映单位公务用车购置支出"
    "及按规定保留的公务用车租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的"
    "各类公务接待（含外宾接待）支出。",
    "8.机关运行经费：为保障行政单位（包括实行公务员管理的事业单位）运行用于购买货物和服务的各项资金，包括办公及印刷费、"
    "邮电费、差旅费、会议费、福利费、日常维修费、一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、"
    "公务用车运行维护费以及其他费用。",
)

_HEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_REASON_HEAD = re.compile(r"^(主要原因是|主要原因为|原因是|原因为|主要是)")


@dataclass(frozen=True)
class Blank:
    """A missing input: shown as 【请填写：what】 and listed with the cell to type it in."""

    what: str
    where: str

    def __str__(self) -> str:
        return f"【请填写：{self.what}】"


@dataclass(frozen=True)
class Verify(Blank):
    """A figure the tables contradict: shown as 【请核对：…】 naming both sides, where the sentence
    states it (the text takes no side), and listed like a missing input."""

    def __str__(self) -> str:
        return f"【请核对：{self.what}】"


@dataclass(frozen=True)
class Footnote:
    """A note at the foot of the page, referred to where it stands (the text itself reads on)."""

    text: str

    def __str__(self) -> str:
        return ""


@dataclass(frozen=True)
class Para:
    kind: str  # title, toc-head, toc, part, h1, h2, body, item, sign
    parts: tuple

    @property
    def text(self) -> str:
        return "".join(map(str, self.parts))

    @property
    def blanks(self) -> list[Blank]:
        return [p for p in self.parts if isinstance(p, Blank)]


def money(value: Decimal) -> str:
    return f"{value:.2f}万元"


class Composer:
    def __init__(self, facts: Facts, prior: Prior, info: Info):
        self.facts, self.prior, self.info = facts, prior, info
        self.book = facts.book
        self.year = facts.book.year
        self.py = self.year - 1
        self.paras: list[Para] = []
        self.contested = _contested(facts)
        self.asked: set = set()  # findings already written as 【请核对】 (one cause, one mark)
        self.noted = False  # the note on rounded shares is given once, as a footnote

    def verify(self, *keys: str, places: tuple = ()) -> list:
        """【请核对：…】 for each error of the workbook's own check at a cell these figures are
        read from: the sentence would otherwise state one side of a contradiction as fact."""
        cells = set(places)
        for key in keys:
            cells.update(self.facts.get(key).places)
        out = []
        for place in sorted(cells, key=str):
            for finding in self.contested.get(place, ()):
                if finding not in self.asked:
                    self.asked.add(finding)
                    out.append(Verify(_first_clause(finding.message), "、".join(map(str, finding.places))))
        return out

    def add(self, kind: str, *parts) -> None:
        self.paras.append(Para(kind, tuple(p for p in parts if p != "")))

    def compose(self) -> list[Para]:
        dept = self.book.dept
        self.add("title", dept)
        self.add("title", f"{self.year}年部门预算公开情况说明")
        self._contents()
        self.add("body", "按照《中华人民共和国预算法》《中华人民共和国预算法实施条例》以及财政部《地方预决算公开操作规程》等规定，"
                 f"现将{dept}{self.year}年部门预算公开如下。")
        self.add("part", PARTS[0])
        self._part1()
        self.add("part", PARTS[1].format(year=self.year))
        for title, write in zip(SECTIONS, (self._overview, self._general, self._sangong, self._running,
                                           self._procurement, self._assets, self._other, self._performance,
                                           self._glossary)):
            self.add("h1", title)
            write()
        self.add("part", PARTS[2].format(year=self.year))
        self.add("body", f"部门预算公开表见附件《{dept}{self.year}年部门预算公开表》，共十二张：")
        for i, table in enumerate(spec.TABLES, 1):
            self.add("toc", f"{chinese_number(i)}、{table.name}")
        self.add("sign", dept)
        signed = self.info.signed()
        self.add("sign", signed_words(signed) if signed else Blank("落款日期", self.info.cell("date")))
        return self.paras

    # --- pieces -----------------------------------------------------------------------------

    def _contents(self) -> None:
        self.add("toc-head", "目  录")
        self.add("toc", PARTS[0])
        for title in PART1:
            self.add("toc", title)
        self.add("toc", PARTS[1].format(year=self.year))
        for title in SECTIONS:
            self.add("toc", title)
        self.add("toc", PARTS[2].format(year=self.year))

    def text(self, key: str) -> list:
        """A text input as paragraphs; its lines that look like （一）… headings become headings."""
        value = self.info.text(key)
        if value is None:
            return [Para("body", (Blank(FIELDS[key].label.split("（")[0], self.info.cell(key)),))]
        out = []
        for line in (x.strip() for x in value.splitlines()):
            if line:
                heading = _HEADING.match(line) and len(line) <= 30 and "。" not in line
                out.append(Para("h2" if heading else "body", (line,)))
        return out

    def texts(self, key: str) -> None:
        self.paras.extend(self.text(key))

    def change(self, key: str, label: str, current: Decimal) -> list:
        """"，比2023年预算减少138.38万元，下降17.20%，主要原因是…" on last year's base."""
        base = self.prior.value(key)
        if base is None and key in ("sangong", "car"):
            return self._sum_unknown(key, label)
        if base is None:
            return [f"，比{self.py}年预算", Blank(f"{label}{self.py}年预算数", self.prior.where(key))]
        diff = current - base
        if diff == 0:
            return [f"，与{self.py}年预算持平"]
        more = diff > 0
        parts = [f"，比{self.py}年预算{'增加' if more else '减少'}{abs(diff):.2f}万元"]
        if base == 0:
            parts.append(f"（{self.py}年预算无此项，为新增）")
        elif base > 0:
            parts.append(f"，{'增长' if more else '下降'}{percent(abs(diff), base):.2f}%")
        return parts + self.reason(key, label)

    def _sum_unknown(self, key: str, label: str) -> list:
        """A sum (三公, 公务用车) whose parts' 上年预算数 are not all typed: the comparison asks for them
        (公务用车's parts are stated nowhere else), and the cell of the first one is named."""
        parts = {"car_buy": "公务用车购置费", "car_run": "公务用车运行维护费"}
        missing = [p for p in (parts if key == "car" else SANGONG_PARTS) if self.prior.value(p) is None]
        if key == "car":
            return [f"，比{self.py}年预算",
                    *(Blank(f"{parts[p]}{self.py}年预算数", self.prior.where(p)) for p in missing)]
        return [f"，比{self.py}年预算", Blank(f"{label}{self.py}年预算数（各项上年预算数之和）", self.prior.where(missing[0]))]

    def reason(self, key: str, label: str) -> list:
        text = self.info.reasons.get(key, "").strip()
        text = _REASON_HEAD.sub("", text).rstrip("。；;，, ")
        where = self.info.where.get(f"reason:{key}") or self.prior.where(key)
        return ["，主要原因是", text or Blank(f"{label}增减原因", where)]

    def _part1(self) -> None:
        self.add("h1", PART1[0])
        self.texts("duties")
        self.add("h1", PART1[1])
        for heading, key in (("（一）机关内设机构", "offices"), ("（二）单位性质", "status"), ("（三）所属单位", "units")):
            self.add("h2", heading)
            self.texts(key)

    def _overview(self) -> None:
        f, y = self.facts, self.year
        total = f.value("total")
        self.add("body", f"按照综合预算的原则，部门所有收入和支出均纳入部门预算管理。{y}年部门收支总预算{money(total)}",
                 *self.verify("total"), *self.change("total", "收支总预算", total), "。")
        self.add("h2", "（一）收入预算")
        lines = [(k, label, f.value(f"income:{k}")) for k, label in
                 (*spec.INCOME, ("carry", "上年结转"), ("surplus", "上年结余"))]
        listed = [(label, v) for _, label, v in lines if v]
        rest = "其余各项收入均为0。" if len(listed) < len(lines) else ""
        self.add("body", f"{y}年收入预算{money(f.value('income_total'))}（详见第三部分表一、表二）",
                 *self.verify("income_total", *(f"income:{k}" for k, _, v in lines if v)), *self._shared(listed), rest)
        self.add("h2", "（二）支出预算")
        spend = [("基本支出", f.value("spend_basic")), ("项目支出", f.value("spend_project")),
                 ("上年结转", f.value("spend_carry"))]
        self.add("body", f"{y}年支出预算{money(f.value('spend_total'))}（详见第三部分表三）",
                 *self.verify("spend_total", "spend_basic", "spend_project", "spend_carry"), *self._shared(spend))

    def _shared(self, listed: list[tuple[str, Decimal]]) -> list:
        if not listed or sum((v for _, v in listed), ZERO) == 0:
            return ["。"]
        pieces = [f"{label}{money(v)}，占{s:.2f}%" for (label, v), s in zip(listed, shares([v for _, v in listed]))]
        note = [] if self.noted else [Footnote(SHARES_NOTE)]  # said once, where shares first appear
        self.noted = True
        return ["，其中：", "；".join(pieces), *note, "。"]

    def _general(self) -> None:
        f, y = self.facts, self.year
        classes = "、".join(f"{self._t6_name(c) or c}{money(v)}" for c, v in f.classes())
        self.add("body", f"{y}年一般公共预算当年支出{money(f.value('gp_total'))}（详见第三部分表四至表七）",
                 f"，包括：{classes}" if classes else "", *self.verify("gp_total", *(f"class:{c}" for c, _ in f.classes())),
                 "。")
        self.add("h2", "（一）基本支出")
        basic = f.value("basic")
        self.add("body", f"{y}年基本支出{money(basic)}", *self.verify("basic"), *self.change("basic", "基本支出", basic),
                 "。")
        kinds = []
        for label, key, personnel in (("人员经费", "personnel", True), ("公用经费", "public", False)):
            names = f.economic(personnel)
            kinds.append(f"{label}{money(f.value(key))}" + (f"，主要包括{'、'.join(names)}" if names else ""))
        self.add("body", "其中：", "；".join(kinds), *self.verify("personnel", "public"), "。")
        self.add("h2", "（二）项目支出")
        project = f.value("project")
        self.add("body", f"{y}年一般公共预算财政拨款项目支出{money(project)}", *self.verify("project"),
                 *self.change("project", "项目支出", project), "。")
        projects = f.projects()
        if projects:
            names = "、".join(f"{p.name}{money(p.total)}" for p in projects)
            whole = sum((p.total for p in projects), ZERO)
            self.add("body", f"{y}年共安排项目{len(projects)}个，年度资金总额合计{money(whole)}（详见第三部分表十二），"
                     f"分别是：{names}",
                     *self.verify(places=tuple(p for x in projects for p in (x.place, x.amount_place))), "。")
        else:
            self.add("body", f"{y}年表十二未列项目支出绩效目标表。")
        self.add("h2", "（三）支出功能分类说明")
        for i, (code, value) in enumerate(f.items(), 1):
            label = f"{code}{self._t6_name(code)}"
            self.add("item", f"{i}.{item_words(code, self.book)}{y}年预算数为{money(value)}",
                     *self.verify(item_key(code)), *self.change(item_key(code), label, value), "。")

    def _t6_name(self, code: str) -> str:
        return catalog.functional().name(code) or next(
            (r.label for r in self.facts.code_rows("T6") if r.code == code), "")

    def _sangong(self) -> None:
        f, y = self.facts, self.year
        self.add("h2", "（一）“三公”经费")
        sangong = f.value("sangong")
        parts = "，".join(f"{w}{money(f.value(k))}" for k, w in
                         (("abroad", "因公出国（境）费用"), ("reception", "公务接待费"), ("car", "公务用车购置及运行维护费")))
        self.add("body", f"{y}年“三公”经费预算{money(sangong)}（其中：{parts}）", *self.verify("sangong"),
                 *self.change("sangong", "“三公”经费", sangong), "。")
        car = f"（其中：公务用车购置费{money(f.value('car_buy'))}，公务用车运行维护费{money(f.value('car_run'))}）"
        for i, (key, words, extra) in enumerate((("abroad", "因公出国（境）费用", ""), ("reception", "公务接待费", ""),
                                                 ("car", "公务用车购置及运行维护费", car)), 1):
            value = f.value(key)
            self.add("item", f"{i}.{words}{money(value)}{extra}", *self.verify(key),
                     *self.change(key, words, value), "。")
        for i, (key, words) in enumerate((("training", "培训费"), ("meeting", "会议费")), 2):
            self.add("h2", f"（{'一二三'[i - 1]}）{words}")
            value = f.value(key)
            self.add("body", f"{y}年{words}预算{money(value)}", *self.verify(key), *self.change(key, words, value), "。")

    def _running(self) -> None:
        value = self.facts.value("running")
        self.add("body", f"{self.year}年机关运行经费{money(value)}（详见第三部分表九）", *self.verify("running"),
                 *self.change("running", "机关运行经费", value), "。")

    def _procurement(self) -> None:
        values = [(words, self.info.number(key), key) for key, words in PROCUREMENT]
        if all(v == 0 for _, v, _ in values):
            self.add("body", f"{self.year}年部门未安排政府采购预算。")
        else:
            total = self.facts.value("buy")  # known once every part is
            parts = []
            for words, v, key in values:
                parts += ["，" if parts else "", f"政府采购{words}预算",
                          money(v) if v is not None else Blank(f"政府采购{words}预算", self.info.cell(key))]
            head = f"总额{money(total)}，其中：" if total is not None else "："
            self.add("body", f"{self.year}年部门政府采购预算{head}", *parts, "。")
        if self.info.text("buy.note"):
            self.texts("buy.note")

    def _assets(self) -> None:
        def figure(key, fmt):
            value = self.info.number(key)
            return fmt(value) if value is not None else Blank(FIELDS[key].label, self.info.cell(key))

        self.add("body", f"截至{self.py}年末，本部门共有公务用车", figure("cars.count", lambda v: f"{v}辆"),
                 "，价值", figure("cars.value", money), "；单价50万元以上设备",
                 figure("equipment.count", lambda v: f"{v}台（套）"), "，价值", figure("equipment.value", money), "。")
        if self.info.text("assets.note"):
            self.texts("assets.note")

    def _other(self) -> None:
        for table, fund in (("T10", "政府性基金预算"), ("T11", "国有资本经营预算")):
            sheet = spec.BY_ID[table].sheet
            total = self.facts.fund_table_total(table)
            if not total:
                self.add("body", f"本部门{self.year}年未安排{fund}，{fund}支出情况表（{sheet}）为空表。")
            else:
                self.add("body", f"本部门{self.year}年{fund}支出{money(total)}（详见第三部分{sheet}）。")
        self.texts("other")

    def _performance(self) -> None:
        count = len(self.facts.projects())
        self.add("body", f"本部门{self.year}年部门整体支出和{count}个项目的绩效目标详见第三部分表十二。")
        self.texts("performance")

    def _glossary(self) -> None:
        for line in GLOSSARY:
            self.add("body", line)


def _contested(facts: Facts) -> dict:
    """Place -> the error findings of the workbook's own check that name it, the workbook taken as
    fill computes it (as the text states every figure)."""
    from copy import deepcopy

    from ..checks import run

    filled = deepcopy(facts.book)
    for ref, value in facts.derived.items():
        row = filled.cell(ref)
        if row is not None and value is not None:
            row.values[ref.col] = value
    out: dict = {}
    for finding in run(filled).errors:
        for place in finding.places:
            out.setdefault(place, []).append(finding)
    return out


def _first_clause(message: str) -> str:
    return message.split("；")[0].strip()


def compose(facts: Facts, prior: Prior, info: Info) -> list[Para]:
    return Composer(facts, prior, info).compose()


def signed_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
