"""What a written 情况说明 claims: every figure tied to the thing it states.

The text is read as the reference document writes it: headings set the section (收支总体, 一般
公共预算, 三公 …) and subsection; a sentence (up to 。 or ；) names a subject ("基本支出",
"一般公共服务（201类）…（01项）", "因公出国（境）费用") and then gives its amount, its change
from last year ("比2023年预算减少138.38万元", "下降20.77%") and its share ("占74.09%"). A
number is tied to the nearest subject before it; a "（其中：…）" group has its own subjects. Numbers
with no subject (a threshold, an approximation, a figure inside a stated reason) are left alone:
only what can be tied is checked.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .. import catalog, spec

# --- words ------------------------------------------------------------------------------------

_TOP = re.compile(r"^(第[一二三四五]部分|[一二三四五六七八九十]+[、.．])")
_SUB = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
SECTIONS = (  # heading keyword -> section; first match wins
    ("名词解释", "glossary"), ("部门职责", "duties"), ("机构设置", "org"), ("财政拨款收支", "fiscal"),
    ("收支总体", "overview"), ("收支预算", "overview"), ("三公", "sangong"), ("机关运行经费", "running"),
    ("一般公共预算", "gp"), ("财政拨款支出", "gp"), ("政府采购", "procurement"), ("国有资产", "assets"),
    ("其他重要事项", "other"), ("绩效", "performance"), ("公开表", "tables"), ("目录", "toc"), ("前言", "intro"),
    ("收入预算", "overview"), ("支出预算", "overview"),
)
# A text without headings (or under one of unknown subject): the section a sentence's own words name;
# first match wins ("一般公共预算财政拨款“三公”经费" is about 三公)
CONTENT = (
    ("三公", "sangong"), ("培训费", "sangong"), ("会议费", "sangong"), ("机关运行经费", "running"),
    ("政府采购", "procurement"), ("财政拨款收入", "fiscal"), ("财政拨款支出", "fiscal"), ("一般公共预算", "gp"),
    ("（类）", "gp"), ("收支总预算", "overview"), ("收支预算总", "overview"), ("收入预算", "overview"),
    ("支出预算", "overview"),
)
SUBSECTIONS = {
    "overview": (("收入", "income"), ("支出", "spend")),
    "gp": (("基本支出", "basic"), ("项目支出", "project"), ("功能分类", "items")),
    "sangong": (("三公", "sangong"), ("培训", "training"), ("会议", "meeting")),
}

_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|亿元|元|%|％|个(?!百分点)|辆|台[（(]套[）)]|台|套)")
_YEAR = re.compile(r"(\d{4})\s*年")
_COMPARE_YEAR = re.compile(r"(?:比|较|同比|与)\s*(\d{4})\s*年")
_WORD = re.compile(r"(增加|减少|增长|下降|上升|降低|增幅|降幅|减幅|压减|节约|多|少)(?:[（(](增加|减少|增长|下降)[）)])?"
                   r"\s*(?:了|为|率为|幅度为)?\s*$")
_SHARE = re.compile(r"占(?:比|比重)?\s*(?:为|是)?\s*$|占[^，,；;。]{1,12}的(?:比重|比例)?\s*(?:为)?\s*$|比重为\s*$")
_REASON = re.compile(r"原因|主要是|主要由于|由于|因为")  # figures in a stated reason are not the subject's
_ROUGH = re.compile(r"(约|近|超过|不足|以上|以下|左右)\s*$")
_AFTER_THRESHOLD = re.compile(r"^\s*(以上|以下|及以上|及以下|左右)")
_DATE_PARA = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_BUDGET_YEAR = re.compile(r"(\d{4})\s*年\s*(?:度)?\s*(?:部门)?\s*(?:预算公开|部门预算|收支总预算|收入预算|支出预算|一般公共预算)")
_LIST = re.compile(r"(?<!原因)(?:主要是|主要包括|包括|分别是|分别为|具体是)\s*[：:]?")
_INCREASE = ("增加", "增长", "上升", "增幅", "多")
_DECREASE = ("减少", "下降", "降低", "降幅", "减幅", "压减", "节约", "少")


def direction(word: str | None) -> int | None:
    """+1 for a word of increase, -1 for one of decrease, None for none or both."""
    if not word or "（" in word or "(" in word:
        return None
    return 1 if word in _INCREASE else -1 if word in _DECREASE else None


def _class_patterns():
    names = dict(spec.FUNCTIONAL_CLASSES)
    names.update({c: n for c, n in catalog.functional().names.items() if len(c) == 3})
    out = []
    for code, name in names.items():
        base = name.removesuffix("支出")
        out.append((re.escape(base) + ("(?:支出)?" if len(base) >= 4 else "支出"), f"class:{code}"))
    return out


# (pattern, key, sections it applies in)
_SUBJECTS = [
    (r"(?:部门)?收支总预算|收支预算总额|部门预算总额", "total", {"overview"}),
    (r"收入(?:总)?预算(?:合计|总额)?|本年收入合计|收入合计", "income_total", {"overview"}),
    (r"支出(?:总)?预算(?:合计|总额)?|本年支出合计|支出合计", "spend_total", {"overview"}),
    (r"一般公共预算(?:财政)?(?:拨款)?收入", "income:general", {"overview"}),
    (r"政府性基金预算(?:财政)?(?:拨款)?收入", "income:gov_fund", {"overview"}),
    (r"国有资本经营预算(?:财政)?(?:拨款)?收入", "income:state_capital", {"overview"}),
    (r"教育专户(?:核算)?(?:收入)?", "income:edu_account", {"overview"}),
    (r"(?<!经营)事业收入", "income:business", {"overview"}),
    (r"上级补助收入", "income:superior", {"overview"}),
    (r"附属单位上缴收入", "income:subsidiary", {"overview"}),
    (r"(?:事业单位)?经营收入", "income:operating", {"overview"}),
    (r"其他收入", "income:other", {"overview"}),
    (r"上年结转收入", "income:carry", {"overview"}),
    (r"上年结余(?:收入)?", "income:surplus", {"overview"}),
    (r"上年结转", "carry", {"overview"}),  # income or spending by subsection
    (r"基本支出", "basic", {"overview", "gp"}),
    (r"项目支出", "project", {"overview", "gp"}),
    (r"一般公共预算(?:当年|财政拨款|拨款)?支出(?:预算)?(?:合计|总额)?|一般公共预算当年拨款(?:规模)?", "gp_total", {"gp"}),
    (r"财政拨款收入(?:合计|总额|总计)?|财政拨款本年收入", "fiscal_income", {"overview", "fiscal", "gp"}),
    (r"财政拨款支出(?:合计|总额|总计)|财政拨款本年支出", "fiscal_spend", {"overview", "fiscal", "gp"}),
    (r"财政拨款收支总(?:预算|计)", "fiscal_total", {"overview", "fiscal", "gp"}),
    (r"政府性基金(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?", "fund:T10", {"overview", "fiscal", "other"}),  # MoF: 政府性基金拨款支出预算
    (r"国有资本经营(?:预算)?(?:财政)?(?:拨款)?支出(?:预算)?", "fund:T11", {"overview", "fiscal", "other"}),
    (r"人员经费(?:支出)?", "personnel", {"gp"}),
    (r"公用经费(?:支出)?", "public", {"gp"}),
    (r"[“\"‘']?\s*三公\s*[”\"’']?\s*经费(?:预算)?(?:合计|总额)?", "sangong", {"sangong"}),
    (r"因公出国[（(]境[）)](?:费用|经费|费)", "abroad", {"sangong"}),
    (r"公务接待费", "reception", {"sangong"}),
    (r"公务用车购置(?:及|和)运行(?:维护)?费(?:用)?", "car", {"sangong"}),
    (r"公务用车购置(?:费)?(?![及和])", "car_buy", {"sangong"}),
    (r"公务用车运行(?:维护)?费", "car_run", {"sangong"}),
    (r"培训费", "training", {"sangong"}),
    (r"会议费", "meeting", {"sangong"}),
    (r"机关运行经费", "running", {"running", "sangong", "other"}),
    (r"政府采购预算总额|政府采购预算总计", "buy", {"procurement"}),
    (r"(?:政府采购)?货物类?预算", "buy.goods", {"procurement"}),
    (r"(?:政府采购)?工程类?预算", "buy.works", {"procurement"}),
    (r"(?:政府采购)?服务类?预算", "buy.services", {"procurement"}),
    (r"公务用车", "cars", {"assets"}),
    (r"单价\s*50\s*万元(?:及)?以上的?(?:通用|专用)?设备", "equipment", {"assets"}),
] + [(p, k, {"gp"}) for p, k in _class_patterns()]
_COMPILED = [(re.compile(p), k, s) for p, k, s in _SUBJECTS]
_ITEM_MARK = re.compile(r"[（(]\s*(\d{2,3})\s*(类|款|项)\s*[）)]")
_LEVEL_MARK = re.compile(r"[（(]\s*(类|款|项)\s*[）)]")  # the MoF wording without codes
_MARK = re.compile(r"【\s*请(?:填写|核对)[^】]*】")
_ITEM_CODE = re.compile(r"(?<!\d)(2\d{6}|2\d{4})(?!\d)")


# --- what is claimed --------------------------------------------------------------------------

@dataclass
class Sentence:
    para: int  # paragraph number, from 1
    text: str
    section: str
    sub: str
    year: int | None  # the year a heading above gives (绩效: 2023 or 2024)

    def quote(self, limit: int = 90) -> str:
        text = self.text if len(self.text) <= limit else self.text[:limit] + "…"
        return f"第{self.para}段“{text}”"


@dataclass
class Num:
    value: Decimal  # in the claim's unit (万元 for amounts, % for percentages)
    raw: str
    unit: str
    start: int
    end: int

    @property
    def decimals(self) -> int:
        digits = re.search(r"\.(\d+)", self.raw)
        return len(digits.group(1)) if digits else 0


@dataclass
class Statement:
    sentence: Sentence
    subject: str  # a facts key (after section rules): "basic", "spend_basic", "item:2010301" …
    words: str  # the subject as written
    value: Num | None = None
    change: Num | None = None
    change_word: str | None = None
    percent: Num | None = None
    percent_word: str | None = None
    share: Num | None = None
    year: int | None = None  # "2024年基本支出"
    compare_year: int | None = None  # "比2023年预算"
    year_raw: str = ""


@dataclass
class ProjectMention:
    sentence: Sentence
    name: str
    amount: Num | None = None


@dataclass
class ProjectCount:
    sentences: list[Sentence]
    count: int
    raw: str
    year: int | None = None  # None: this year's by its place (the 项目支出 part)


@dataclass
class DateLine:
    sentence: Sentence
    day: date | None  # None: not a real date (2月30日)
    raw: str


@dataclass
class Claims:
    sentences: list[Sentence] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    projects: list[ProjectMention] = field(default_factory=list)
    counts: list[ProjectCount] = field(default_factory=list)
    dates: list[DateLine] = field(default_factory=list)
    years: list[tuple[Sentence, int, str]] = field(default_factory=list)  # budget-year mentions
    marks: list[tuple[Sentence, str]] = field(default_factory=list)  # 【请填写：…】/【请核对：…】 left in


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """What a text may name besides the fixed subjects: the units of the department (their own
    rows in 表三/表五) and the functional names (code -> name) the 类/款/项 wording resolves to."""
    units: dict[str, str] = field(default_factory=dict)  # as a text may write it -> the unit's row name
    names: dict[str, str] = field(default_factory=dict)

    def functional(self) -> dict[str, str]:
        return self.names or catalog.functional().names


def read(paragraphs: list[str], vocabulary: Vocabulary | None = None) -> Claims:
    vocabulary = vocabulary or Vocabulary()
    claims = Claims()
    section, sub, year = "", "", None
    project_counts: list[tuple[Sentence, list[tuple[int, str, bool]]]] = []
    current_project = None  # "项目名称：…" sets it; "年度预算安排：45万元" is its amount
    for n, text in enumerate(paragraphs, 1):
        text = text.strip()
        marks = _MARK.findall(text)
        if marks:  # what is still to be typed or checked is not a claim: its figures are left alone
            claims.marks += [(Sentence(n, text, section, sub, year), mark) for mark in marks]
            text = _MARK.sub("", text).strip()
        heading = _heading(text)
        inline = None if heading else _inline_heading(text)
        if inline:  # "（一）收支总体情况。2025年…": the heading, then the paragraph it opens
            heading, head_text, text = inline
            claims.sentences.append(Sentence(n, head_text, *_enter(heading, head_text, section, sub, year)))
        if heading:
            section, sub, year = _enter(heading, inline[1] if inline else text, section, sub, year)
        heading = heading and not inline  # the rest of a paragraph its heading opens is its content
        date_match = _DATE_PARA.match(text)
        if date_match:
            claims.dates.append(DateLine(Sentence(n, text, section, sub, year), _date(date_match), text))
            continue
        for part in _split(text):
            sentence = Sentence(n, part, section or _by_content(part), sub, year)
            claims.sentences.append(sentence)
            for m in _BUDGET_YEAR.finditer(part):
                claims.years.append((sentence, int(m.group(1)), m.group(0)))
            if sentence.section in ("glossary", "toc", "tables") or heading:
                continue
            claims.statements += _statements(sentence, vocabulary)
            if section == "gp" and sub == "project":
                project_counts.append((sentence, _counts(part)))
                claims.projects += _project_list(sentence)
            named = re.match(r"^项目名称\s*[：:]\s*(.+)$", part)
            if named:
                current_project = named.group(1).strip()
                claims.projects.append(ProjectMention(sentence, current_project))
            elif current_project and re.match(r"^\d*\s*[、.．]?\s*(?:年度预算安排|年度资金总额|预算安排|预算金额)", part):
                amount = next(_numbers(part), None)
                if amount is not None and amount.unit in ("万元", "元", "亿元"):
                    claims.projects.append(ProjectMention(sentence, current_project, amount))
            if section == "performance":
                claims.counts += _performance_counts(sentence)
    claims.counts[:0] = _project_section_count(project_counts)
    return claims


def _enter(heading, text: str, section: str, sub: str, year: int | None) -> tuple[str, str, int | None]:
    """The section, subsection and year a heading sets. A subheading names a subsection of its
    section, or else a section of its own: texts that number their parts （一）（二） at the top."""
    level, found = heading
    if level == "top":  # a section of unknown subject ties no figure by its heading
        return found or "", "", None
    inner = _subsection(section, text)
    if inner is None:
        bare = re.sub(r"\s+", "", text)
        other = next((s for key, s in SECTIONS if key in bare), None)
        if other and other != section:
            return other, _subsection(other, text) or "", _first_year(text)
    return section, inner or sub, _first_year(text)


def _by_content(text: str) -> str:
    """The section a sentence outside any known section is about, by its own words."""
    return next((s for key, s in CONTENT if key in text), "")


_INLINE = re.compile(r"^\s*((?:第[一二三四五]部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])"
                     r"[^。：:；;，,！？]{1,30}?)[。：:]\s*(?=\S)")


def _inline_heading(text: str):
    """(heading, its words, the rest) for a paragraph opened by its heading: "（一）收支总体情况。…"."""
    m = _INLINE.match(text)
    if not m or next(_numbers(m.group(1)), None) is not None:
        return None
    head = m.group(1).strip()
    heading = _heading(head)
    return (heading, head, text[m.end():]) if heading else None


def _heading(text: str):
    """("top", section or None) or ("sub", None) for a heading line, else None."""
    bare = re.sub(r"\s+", "", text)
    if len(bare) > 40 or "。" in bare[:-1] or any(n.unit in ("万元", "元", "亿元", "%") for n in _numbers(bare)):
        return None  # a short paragraph that states an amount is not a heading
    if _TOP.match(bare) or bare in ("目录", "前言"):
        return "top", next((s for key, s in SECTIONS if key in bare), None)
    if _SUB.match(bare):
        return "sub", None
    return None


def _subsection(section: str, text: str) -> str | None:
    bare = re.sub(r"\s+", "", text)
    return next((s for key, s in SUBSECTIONS.get(section, ()) if key in bare), None)


def _first_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


def _date(match) -> date | None:
    try:
        return date(*map(int, match.groups()))
    except ValueError:
        return None


def _split(text: str) -> list[str]:
    """Sentences: up to 。 or ； (a list item), outside brackets."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(depth - 1, 0)
        elif ch in "。；;！？" and depth == 0:
            out.append(text[start:i + 1])
            start = i + 1
    out.append(text[start:])
    return [s.strip() for s in out if s.strip(" 。；;")]


def _numbers(text: str):
    for m in _NUMBER.finditer(text):
        whole, fraction, unit = m.group(1).replace(",", ""), m.group(2) or "", m.group(3)
        value = Decimal(whole + fraction)
        if unit == "元":
            value /= 10000
        elif unit == "亿元":
            value *= 10000
        yield Num(value, m.group(0).strip(), {"％": "%"}.get(unit, unit), m.start(), m.end())


def _groups(text: str) -> list[tuple[int, int]]:
    """Spans of "（其中：…）" groups (their own subjects), brackets nested."""
    spans = []
    for m in re.finditer(r"[（(]\s*其中", text):
        depth = 0
        for i in range(m.start(), len(text)):
            depth += text[i] in "（("
            depth -= text[i] in "）)"
            if depth == 0:
                spans.append((m.start(), i + 1))
                break
    return spans


def _subjects(sentence: Sentence, vocabulary: Vocabulary) -> list[tuple[int, int, str, str]]:
    """(start, end, key, words) of the subjects named, overlaps resolved (longer, then earlier)."""
    text, section = sentence.text, sentence.section
    found = []
    for pattern, key, sections in _COMPILED:
        if section not in sections:
            continue
        for m in pattern.finditer(text):
            found.append((m.start(), m.end(), key, m.group(0)))
    found += _items(text) + _named_items(text, vocabulary.functional())
    found.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    chosen: list[tuple[int, int, str, str]] = []
    for s in found:
        if all(s[1] <= c[0] or s[0] >= c[1] for c in chosen):
            chosen.append(s)
    return sorted(chosen)


def _items(text: str) -> list[tuple[int, int, str, str]]:
    """A functional 项 named by its markers "…（201类）…（03款）…（01项）" or by its code."""
    out = []
    marks = list(_ITEM_MARK.finditer(text))
    i = 0
    while i < len(marks):
        if marks[i].group(2) != "类" or len(marks[i].group(1)) != 3:
            i += 1
            continue
        code, start, end = marks[i].group(1), marks[i].start(), marks[i].end()
        j = i + 1
        for level in ("款", "项"):
            if j < len(marks) and marks[j].group(2) == level and len(marks[j].group(1)) == 2 \
                    and marks[j].start() - end <= 40:
                code, end, j = code + marks[j].group(1), marks[j].end(), j + 1
        if len(code) > 3:
            head = max(text.rfind(ch, 0, start) for ch in "，,；;：:。、 ") + 1
            head = max(head, _enumeration_end(text, start))
            out.append((head, end, f"item:{code}", text[head:end]))
        i = j
    for m in _ITEM_CODE.finditer(text):
        out.append((m.start(), m.end(), f"item:{m.group(1)}", m.group(0)))
    return out


def _named_items(text: str, names: dict[str, str]) -> list[tuple[int, int, str, str]]:
    """The MoF wording "社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位职业年金缴费支出（项）":
    each name resolved through the functional names along 类 → 款 → 项. A chain with a name that does
    not resolve is a subject of its own ("unresolved"), so its figure is never taken as its 类's."""
    out = []
    marks = list(_LEVEL_MARK.finditer(text))
    i = 0
    while i < len(marks):
        if marks[i].group(1) != "类":
            i += 1
            continue
        start, code = _class_named(text[:marks[i].start()], names)
        end, j = marks[i].end(), i + 1
        for level in ("款", "项"):
            if j < len(marks) and marks[j].group(1) == level:
                code = _child_named(code, text[end:marks[j].start()], names) if code else None
                end, j = marks[j].end(), j + 1
        key = "unresolved" if code is None else f"item:{code}" if len(code) > 3 else f"class:{code}"
        out.append((start, end, key, text[start:end]))
        i = j
    return out


_SUFFIX = "支出"


def _bare(name: str) -> str:
    return catalog.Catalog.normalize_name(name).strip("、，,：:；;。 ").removesuffix(_SUFFIX)


def _class_named(before: str, names: dict[str, str]) -> tuple[int, str | None]:
    """Where the 类 name ending `before` starts, and its code (None: no 类 ends there)."""
    before = before.rstrip()
    best = (None, "")
    for code, name in names.items():
        if len(code) != 3:
            continue
        for form in (name, name.removesuffix(_SUFFIX)):
            if form and before.endswith(form) and len(form) > len(best[1]):
                best = (code, form)
    if best[0] is None:
        return max(before.rfind(ch) for ch in "，,；;：:。、 ") + 1, None
    return len(before) - len(best[1]), best[0]


def _child_named(parent: str, name: str, names: dict[str, str]) -> str | None:
    """The 款 or 项 under `parent` of that name (支出 at its end or not), else None."""
    wanted = _bare(name)
    found = [c for c, n in names.items() if len(c) == len(parent) + 2 and c.startswith(parent) and _bare(n) == wanted]
    return found[0] if len(found) == 1 else None


def _unit_of(text: str, start: int, subjects, units: dict[str, str]) -> str | None:
    """The unit a subject at `start` belongs to: the unit named last before it in the sentence
    ("某县第一中学支出预算1080万元，其中基本支出…"), unless a list ("、", "等", "个") or a long
    stretch lies between the name and the first subject after it (then it is not their owner)."""
    best = None
    for words, unit in units.items():
        at = text.rfind(words, 0, start)
        if at >= 0 and at + len(words) <= start and (best is None or at + len(words) > best[0]):
            best = (at + len(words), unit)
    if best is None:
        return None
    first = min(s[0] for s in subjects if s[0] >= best[0])
    gap = text[best[0]:first]
    return None if len(gap) > 12 or re.search(r"[、等个，,；;]", gap) else best[1]


def _enumeration_end(text: str, before: int) -> int:
    m = re.match(r"^\s*\d+\s*[、.．]\s*", text[:before])
    return m.end() if m else 0


def _statements(sentence: Sentence, vocabulary: Vocabulary) -> list[Statement]:
    text = sentence.text
    reason = _REASON.search(text)
    stop = reason.start() if reason else len(text)
    subjects = _subjects(sentence, vocabulary)
    groups = _groups(text)
    out: list[Statement] = []
    by_subject: dict[tuple, Statement] = {}
    last = 0
    for num in _numbers(text):
        if num.start >= stop:
            break
        group = next((g for g in groups if g[0] <= num.start < g[1]), None)
        usable = [s for s in subjects if s[1] <= num.start and _same_scope(s, group, groups)]
        gap_from = max([last] + [s[1] for s in usable[-1:]])
        gap = text[gap_from:num.start]
        last = num.end
        if not usable or _ROUGH.search(gap) or _AFTER_THRESHOLD.match(text[num.end:]):
            continue
        start, end, key, words = usable[-1]
        key = _resolve(key, sentence, num)
        if key is None:
            continue
        unit = _unit_of(text, start, subjects, vocabulary.units)
        key = f"unit:{key}@{unit}" if unit else key  # a unit's figure is compared with its own row
        role, word = _role(num, gap, text[:num.start])
        if role is None:
            continue
        statement = by_subject.get((start, key))
        if statement is None or (role == "value" and statement.value is not None):
            statement = Statement(sentence, key, words)
            by_subject[(start, key)] = statement
            out.append(statement)
            _years(statement, text, num.start)
        if role == "value" and statement.value is None:
            statement.value = num
        elif role == "change" and statement.change is None:
            statement.change, statement.change_word = num, word
            cy = _COMPARE_YEAR.search(text, 0, num.start)
            statement.compare_year = int(cy.group(1)) if cy else statement.compare_year
        elif role == "percent" and statement.percent is None:
            statement.percent, statement.percent_word = num, word
        elif role == "share" and statement.share is None:
            statement.share = num
    return out


def _same_scope(subject, group, groups) -> bool:
    inside = next((g for g in groups if g[0] <= subject[0] < g[1]), None)
    return inside is None or inside == group


def _resolve(key: str, sentence: Sentence, num: Num) -> str | None:
    """Section-dependent subjects: 基本支出 of 表三 or 表六, 上年结转 as income or spending, …"""
    section, sub = sentence.section, sentence.sub
    if key in ("basic", "project"):
        return f"spend_{key}" if section == "overview" else key
    if key == "carry":
        return "income:carry" if sub == "income" else "spend_carry"
    if key in ("cars", "equipment"):
        if num.unit in ("辆", "台", "套", "台（套）", "台(套)", "个"):
            return f"{key}.count"
        return f"{key}.value" if num.unit in ("万元", "元", "亿元") else None
    return key


def _role(num: Num, gap: str, before: str) -> tuple[str | None, str | None]:
    if num.unit == "%":
        if _SHARE.search(gap):
            return "share", None
        m = _WORD.search(gap)
        if m:
            return "percent", m.group(0).strip().removesuffix("了").strip()
        return None, None
    m = _WORD.search(gap)
    if m and re.search(r"比|较|同比|与", before):
        word = m.group(1) + (f"（{m.group(2)}）" if m.group(2) else "")
        return "change", word
    if num.unit in ("万元", "元", "亿元", "辆", "台", "套", "台（套）", "台(套)", "个"):
        return "value", None
    return None, None


def _years(statement: Statement, text: str, number_start: int) -> None:
    """The year a figure is stated for: the last "YYYY年" before it that is not a comparison."""
    for m in _YEAR.finditer(text, 0, number_start):
        if re.search(r"(比|较|同比|与)\s*$", text[:m.start()]) or text[m.end():m.end() + 1] in "末底":
            continue
        statement.year, statement.year_raw = int(m.group(1)), m.group(0)


def _counts(text: str) -> list[tuple[int, str, bool]]:
    """Project counts in the 项目支出 part: (count, as written, is a total "共…个")."""
    out = []
    reason = _REASON.search(text)
    for m in re.finditer(r"(\d+)\s*个", text):
        if reason and m.start() > reason.start():
            break
        before = text[max(0, m.start() - 30):m.start()]
        if not re.search(r"项目|经费", before + text[m.end():m.end() + 3]):
            continue
        if re.search(r"(增加|减少|新增|压减|追加)[^，,；。]*$", before):
            continue
        out.append((int(m.group(1)), m.group(0), bool(re.search(r"(共|合计|总计|一共)[^，,；。]*$", before))))
    return out


def _project_section_count(found: list[tuple[Sentence, list[tuple[int, str, bool]]]]) -> list[ProjectCount]:
    """One count for the 项目支出 part: a stated total (共 N 个), else the categories added up."""
    totals = [(s, c) for s, counts in found for c in counts if c[2]]
    if totals:
        return [ProjectCount([s], c[0], c[1]) for s, c in totals]
    parts = [(s, c) for s, counts in found for c in counts]
    if not parts:
        return []
    sentences = list(dict.fromkeys(s.para for s, _ in parts))
    chosen = [next(s for s, _ in parts if s.para == p) for p in sentences]
    raw = " + ".join(c[1] for _, c in parts)
    return [ProjectCount(chosen, sum(c[0] for _, c in parts), raw)]


def _performance_counts(sentence: Sentence) -> list[ProjectCount]:
    """"纳入…绩效目标管理的项目 9 个", with the year it is about (last year's results are not
    this year's projects)."""
    out = []
    for m in re.finditer(r"项目\s*(?:共|合计)?\s*(\d+)\s*个|(\d+)\s*个项目", sentence.text):
        clause = re.split(r"[，,；;]", sentence.text[:m.start()])[-1]
        if re.search(r"增加|减少|新增|压减|追加|公开|监控|自评|完成|调整", clause + m.group(0)):
            continue
        year = _first_year(sentence.text) or sentence.year
        out.append(ProjectCount([sentence], int(m.group(1) or m.group(2)), m.group(0).strip(), year))
    return out


def _project_list(sentence: Sentence) -> list[ProjectMention]:
    """Names after "主要是/分别是/包括：", split at 、, each perhaps with its amount."""
    m = _LIST.search(sentence.text)
    if not m:
        return []
    out = []
    for piece in re.split(r"[、，,]", sentence.text[m.end():]):
        piece = piece.strip().rstrip("。；;等")
        amount = None
        nums = list(_numbers(piece))
        if nums and nums[-1].end == len(piece) and nums[-1].unit in ("万元", "元"):
            amount = nums[-1]
            piece = piece[:amount.start].strip()
        piece = re.sub(r"等$", "", piece).strip()
        if len(piece) >= 2 and not re.fullmatch(r"[\d.]+", piece):
            out.append(ProjectMention(sentence, piece, amount))
    return out
