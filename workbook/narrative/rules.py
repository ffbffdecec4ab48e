"""The N.* rules: a written 情况说明 against the workbook it describes.

They read the claims of a text (NarrativeContext), so they live in their own registry:
`checks.run(book)` checks a workbook without a text and runs none of them; `budgetbook rules`
lists them with the others. Findings have the format of every other rule: the cells of the
tables a figure is tied to (so the workbook side can be found and marked), and a message that
quotes the sentence (第N段“…”) so the text side can be found with Word's search.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from difflib import SequenceMatcher
from typing import Iterable

from ..checks.base import REGISTRY, Finding, Place, Rule, register
from ..money import CENT, ZERO
from .claims import Claims, Num, Sentence, Statement, _heading, direction
from .facts import SANGONG_PARTS, Facts, Prior, percent, shares

# figures compared with last year, by the key their prior is read under
_PRIOR_KEY = {"spend_basic": "basic", "spend_project": "project"}
_COMPARED = {"total", "basic", "project", "sangong", "car", "running", "meeting", "training", *SANGONG_PARTS}


def narrative_rule(cls: type[Rule]) -> type[Rule]:
    """Class decorator: an N.* rule, registered in the one catalogue as a rule that reads a text."""
    cls.reads = "text"
    return register(cls)


@dataclass
class NarrativeContext:
    claims: Claims
    facts: Facts
    prior: Prior
    year: int
    prior_source: str = "基本情况表的上年预算数"
    order: dict[Finding, int] = field(default_factory=dict)  # finding -> paragraph, for text order

    def fact(self, key: str):
        try:
            return self.facts.get(key)
        except KeyError:
            return None

    def coverage(self):
        """How much of the text could be checked (narrative.coverage), measured once."""
        if "_coverage" not in self.__dict__:
            from .coverage import measure

            self._coverage = measure(self, _matched_projects(self), _stated_whole)
        return self._coverage

    def prior_value(self, key: str) -> Decimal | None:
        key = _PRIOR_KEY.get(key, key)
        if key in _COMPARED or key.startswith("item:"):
            return self.prior.value(key)
        return None


class NarrativeRule(Rule):
    placed = "the sentence of the 情况说明 that says it, and the table cell it is compared with"  # no cells of its own

    def check(self, ctx: NarrativeContext) -> Iterable[Finding]:
        raise NotImplementedError

    def at(self, ctx: NarrativeContext, para: int, places=(), **fields) -> Finding:
        finding = self.finding(places, **fields)
        ctx.order[finding] = para
        return finding


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _agrees(stated: Num, exact: Decimal) -> bool:
    """A percentage written with d decimals agrees when it is `exact` rounded to d decimals."""
    return abs(stated.value - exact) <= Decimal(5) / (10 ** (stated.decimals + 1))


def _sign(statement: Statement) -> int | None:
    if statement.change is not None and statement.change.value == 0:
        return 0
    return direction(statement.change_word) or direction(statement.percent_word)


def _places(ctx, statement: Statement) -> tuple[Place, ...]:
    """The cells of the figure a sentence is about (so the workbook side can be found too)."""
    fact = ctx.fact(statement.subject)
    return fact.places if fact is not None else ()


def _said(statement: Statement) -> Decimal | None:
    """The figure as the sentence states it, else as the tables have it."""
    if statement.value is not None:
        return statement.value.value
    return None


# --- figures ----------------------------------------------------------------------------------

@narrative_rule
class Figure(NarrativeRule):
    id = "N.figure"
    title = "情况说明中的金额、个数与表中数一致"
    severity = "error"
    tables = ("T1", "T2", "T3", "T6", "T7", "T8", "T9", "T12")
    template = "{where}：{what}写作 {actual}，{source}为 {expected}"

    def check(self, ctx):
        for s in ctx.claims.statements:
            if s.value is None:
                continue
            fact = ctx.fact(s.subject)
            if fact is None:
                continue
            if fact.value is None:
                if s.subject.startswith("item:"):
                    yield self.at(ctx, s.sentence.para, where=s.sentence.quote(), what=s.words,
                                  actual=s.value.raw, source="表六", expected=f"没有科目 {s.subject[5:]}")
                continue
            stated = s.value.value
            if stated == fact.value or _rounded_as_stated(fact.value, stated):
                continue
            tail = abs(stated - fact.value) == CENT
            shown = str(fact.value) if s.value.unit in ("辆", "台", "套", "台（套）", "个") else \
                f"{_amount(fact.value)} 万元"
            yield self.at(ctx, s.sentence.para, fact.places, severity="warning" if tail else None, tail=tail,
                          where=s.sentence.quote(), what=s.words, actual=s.value.raw, source=fact.words,
                          expected=shown + ("（尾差 0.01）" if tail else ""))
        for mention, project in _matched_projects(ctx):
            if mention.amount is None or project is None or mention.amount.value == project.total:
                continue
            yield self.at(ctx, mention.sentence.para, (project.amount_place,), where=mention.sentence.quote(),
                          what=f"项目“{mention.name}”", actual=mention.amount.raw,
                          source=f"表十二 {project.name} 的年度资金总额", expected=f"{_amount(project.total)} 万元")


def _rounded_as_stated(fact: Decimal, stated: Decimal) -> bool:
    """A table printed in 元 holds 万元 to four places (15,621.1123); the text states it to the
    places it prints (15621.11万元): the same figure when the table's, rounded so, is the text's."""
    if not stated.is_finite() or fact == fact.quantize(CENT) or stated.as_tuple().exponent > -2:
        return False
    return fact.quantize(Decimal(1).scaleb(stated.as_tuple().exponent), rounding=ROUND_HALF_UP) == stated


def _share_base(key: str) -> str | None:
    if key.startswith("income:"):
        return "income_total"
    if key.startswith("spend_"):
        return "spend_total"
    if key.startswith(("class:", "item:")) or key in ("basic", "project"):
        return "gp_total"
    if key in ("personnel", "public"):
        return "basic"
    if key in (*SANGONG_PARTS, "car"):
        return "sangong"
    if key.startswith("buy."):
        return "buy"
    return None


def _share_groups(ctx) -> dict[tuple, list[Statement]]:
    groups: dict[tuple, list[Statement]] = {}
    for s in ctx.claims.statements:
        base = _share_base(s.subject)
        if s.share is not None and base:
            groups.setdefault((s.sentence.section, s.sentence.sub, base), []).append(s)
    return groups


def _complete(ctx, base: str, group: list[Statement]) -> list[Decimal] | None:
    """The largest-remainder shares of a group that lists the whole of its base, else None."""
    values = [ctx.fact(s.subject) for s in group]
    total = ctx.fact(base)
    if total is None or total.value is None or any(v is None or v.value is None for v in values):
        return None
    amounts = [v.value for v in values]
    return shares(amounts) if sum(amounts, ZERO) == total.value and total.value else None


@narrative_rule
class Share(NarrativeRule):
    id = "N.share"
    title = "情况说明中的占比由表中数算出（两位小数）"
    severity = "error"
    tables = ("T2", "T3", "T6", "T7", "T8")
    template = "{where}：{what}占比写作 {actual}，按 {part} ÷ {whole} 应为 {expected}"

    def check(self, ctx):
        for (_, _, base), group in _share_groups(ctx).items():
            fair = _complete(ctx, base, group)
            total = ctx.fact(base)
            if total is None or not total.value:
                continue
            for i, s in enumerate(group):
                fact = ctx.fact(s.subject)
                if fact is None or fact.value is None:
                    continue
                exact = fact.value / total.value * 100
                if _agrees(s.share, exact) or (fair is not None and s.share.value == fair[i]):
                    continue
                expected = fair[i] if fair is not None else percent(fact.value, total.value)
                yield self.at(ctx, s.sentence.para, fact.places + total.places, where=s.sentence.quote(),
                              what=s.words, actual=s.share.raw, part=_amount(fact.value),
                              whole=_amount(total.value), expected=f"{expected:.2f}%")


@narrative_rule
class SharesSum(NarrativeRule):
    id = "N.shares-sum"
    title = "情况说明中各部分占比合计为 100%"
    severity = "error"
    tables = ("T2", "T3")
    template = "{where}：{parts} 合计 {actual}，应为 100.00%{hint}"

    def check(self, ctx):
        for (_, _, base), group in _share_groups(ctx).items():
            if len(group) < 2 or _complete(ctx, base, group) is None:
                continue
            added = sum((s.share.value for s in group), ZERO)
            if added == 100:
                continue
            tail = abs(added - 100) <= CENT
            yield self.at(ctx, group[0].sentence.para, severity="warning" if tail else None, tail=tail,
                          where=group[0].sentence.quote(), parts="、".join(f"{s.words}{s.share.raw}" for s in group),
                          actual=f"{added}%", hint="（尾差：按最大余额法调整后合计为 100.00%）" if tail else "")


# --- changes from last year -------------------------------------------------------------------

@narrative_rule
class Change(NarrativeRule):
    id = "N.change"
    title = "情况说明中比上年的增减额由本年数和上年预算数算出"
    severity = "error"
    tables = ("T6", "T8", "T9")
    template = "{where}：{what}比上年{word}{actual}万元，按本年 {current} 与上年 {prior}（{source}）应为{right}{expected}万元"

    def check(self, ctx):
        for s in ctx.claims.statements:
            if s.change is None:
                continue
            fact, prior = ctx.fact(s.subject), ctx.prior_value(s.subject)
            if fact is None or fact.value is None or prior is None:
                continue
            diff = fact.value - prior
            if s.change.value == abs(diff):
                continue
            right = "增加" if diff > 0 else "减少" if diff < 0 else "变动"
            yield self.at(ctx, s.sentence.para, fact.places, where=s.sentence.quote(), what=s.words,
                          word=s.change_word or "", actual=s.change.raw.removesuffix("万元").strip(),
                          current=_amount(fact.value), prior=_amount(prior), source=ctx.prior_source,
                          right=right, expected=_amount(abs(diff)))


def _percent_check(s: Statement, ctx) -> tuple[str, Decimal, Decimal, Decimal] | None:
    """(kind, expected %, last year's base, this year's figure) when the percentage is wrong:
    kind "zero" (a percentage on a zero base), "base" (computed on this year's figure), "other"."""
    if s.percent is None or s.change is None:
        return None
    sign = _sign(s)
    current = _said(s)
    if current is None:
        fact = ctx.fact(s.subject)
        current = fact.value if fact is not None else None
    if sign is None or current is None:
        return None
    amount = s.change.value
    base = current - sign * amount
    if base == 0:
        return ("zero", ZERO, base, current) if amount != 0 and s.percent.value != 0 else None
    if base < 0:
        return None
    exact = amount / base * 100
    if _agrees(s.percent, exact):
        return None
    expected = percent(amount, base)
    if current and _agrees(s.percent, amount / current * 100):
        return "base", expected, base, current
    return "other", expected, base, current


@narrative_rule
class PercentBase(NarrativeRule):
    id = "N.percent-base"
    title = "增减百分比以上年数为基数（不是本年数）"
    severity = "error"
    tables = ()
    template = ("{where}：{what}{word}{actual}是用本年数 {current} 作基数算的（{change} ÷ {current}）；"
                "应以上年数 {base} 为基数：{change} ÷ {base} = {expected}")

    def check(self, ctx):
        for s in ctx.claims.statements:
            wrong = _percent_check(s, ctx)
            if wrong and wrong[0] == "base":
                _, expected, base, current = wrong
                yield self.at(ctx, s.sentence.para, _places(ctx, s), where=s.sentence.quote(), what=s.words,
                              word=s.percent_word or "", actual=s.percent.raw, current=_amount(current),
                              change=_amount(s.change.value), base=_amount(base), expected=f"{expected:.2f}%")


@narrative_rule
class Percent(NarrativeRule):
    id = "N.percent"
    title = "增减百分比与增减额、上年数相符"
    severity = "error"
    tables = ()
    template = "{where}：{what}{word}{actual}与金额不符：{change} ÷ 上年 {base} = {expected}"

    def check(self, ctx):
        for s in ctx.claims.statements:
            wrong = _percent_check(s, ctx)
            if wrong and wrong[0] == "other":
                _, expected, base, _ = wrong
                yield self.at(ctx, s.sentence.para, _places(ctx, s), where=s.sentence.quote(), what=s.words,
                              word=s.percent_word or "", actual=s.percent.raw, change=_amount(s.change.value),
                              base=_amount(base), expected=f"{expected:.2f}%")


@narrative_rule
class ZeroBase(NarrativeRule):
    id = "N.zero-base"
    title = "上年为 0 时不写增长百分比（写“新增”或“上年无此项”）"
    severity = "error"
    tables = ()
    template = ("{where}：{what}上年预算为 0（本年 {current} {word}{change}），“{percent}”无从算起；"
                "应写“上年无此项”或“新增”")

    def check(self, ctx):
        for s in ctx.claims.statements:
            wrong = _percent_check(s, ctx)
            if wrong and wrong[0] == "zero":
                yield self.at(ctx, s.sentence.para, _places(ctx, s), where=s.sentence.quote(), what=s.words,
                              current=_amount(wrong[3]), word=s.change_word or "", change=_amount(s.change.value),
                              percent=f"{s.percent_word or ''}{s.percent.raw}")


@narrative_rule
class Direction(NarrativeRule):
    id = "N.direction"
    title = "增加/减少、增长/下降与变动方向一致，不变时写“持平”"
    severity = "error"
    also = {"warning": "与上年相同却写“增加0万元”"}
    tables = ("T6", "T8", "T9")
    template = "{where}：{problem}"

    def check(self, ctx):
        for s in ctx.claims.statements:
            if s.change is None and s.percent is None:
                continue
            a, p = direction(s.change_word), direction(s.percent_word)
            problem, severity = None, None
            if a and p and a != p:
                problem = f"{s.words}先写“{s.change_word}”后写“{s.percent_word}”，前后矛盾"
            else:
                fact, prior = ctx.fact(s.subject), ctx.prior_value(s.subject)
                said = a or p
                if fact is not None and fact.value is not None and prior is not None and said:
                    diff = fact.value - prior
                    if diff and (diff > 0) != (said > 0):
                        real = "增加" if diff > 0 else "减少"
                        problem = (f"{s.words}本年 {_amount(fact.value)}、上年 {_amount(prior)}，"
                                   f"是{real}，文中写作“{s.change_word or s.percent_word}”")
                if problem is None and s.change is not None and s.change.value == 0 and said:
                    problem = f"{s.words}与上年相同，写作“{s.change_word or ''}{s.change.raw}”，应写“与上年持平”"
                    severity = "warning"
            if problem:
                yield self.at(ctx, s.sentence.para, _places(ctx, s), severity=severity, where=s.sentence.quote(),
                              problem=problem)


# --- 三公, projects ---------------------------------------------------------------------------

@narrative_rule
class Sangong(NarrativeRule):
    id = "N.sangong"
    title = "情况说明中“三公”经费等于所列各项之和"
    severity = "error"
    tables = ("T8",)
    template = "{where}：{what}写作 {actual}，而文中所列{parts}合计 {expected}"

    def check(self, ctx):
        said: dict[str, Statement] = {}
        for s in ctx.claims.statements:
            if s.sentence.section == "sangong" and s.value is not None and s.subject not in said:
                said[s.subject] = s
        car = said.get("car")
        if car and "car_buy" in said and "car_run" in said:
            yield from self._compare(ctx, car, [said["car_buy"], said["car_run"]])
        whole = said.get("sangong")
        parts = [said.get("abroad"), said.get("reception")]
        parts += [car] if car else [said.get("car_buy"), said.get("car_run")]
        if whole and all(parts):
            yield from self._compare(ctx, whole, parts)

    def _compare(self, ctx, whole: Statement, parts: list[Statement]):
        added = sum((p.value.value for p in parts), ZERO)
        if whole.value.value != added:
            fact = ctx.fact(whole.subject)
            yield self.at(ctx, whole.sentence.para, fact.places if fact else (), where=whole.sentence.quote(),
                          what=whole.words, actual=whole.value.raw,
                          parts=" + ".join(f"{p.words}{p.value.raw}" for p in parts), expected=f"{_amount(added)}万元")


def _norm_name(name: str) -> str:
    name = re.sub(r"\s+", "", name).replace("(", "（").replace(")", "）").replace("年度", "年")
    return re.sub(r"项目$", "", name) or name


def _core(name: str) -> str:
    return re.sub(r"^\d{4}年", "", _norm_name(name))


def _matched_projects(ctx) -> list[tuple[object, object]]:
    """Each project the text names, with the 表十二 project it means (None: no such project):
    same name first, then one-to-one by similarity of the names without their year."""
    table = ctx.facts.projects()
    mentions = ctx.claims.projects
    result: dict[int, object] = {}
    free = list(range(len(table)))
    for i, m in enumerate(mentions):
        same = next((j for j in range(len(table)) if _norm_name(table[j].name) == _norm_name(m.name)), None)
        if same is not None:
            result[i] = table[same]
            if same in free:
                free.remove(same)
    pairs = sorted(((SequenceMatcher(None, _core(m.name), _core(table[j].name)).ratio(), i, j)
                    for i, m in enumerate(mentions) if i not in result for j in range(len(table))), reverse=True)
    taken: set[int] = set()
    for ratio, i, j in pairs:
        if ratio < 0.6 or i in result or (j in taken or j not in free):
            continue
        result[i] = table[j]
        taken.add(j)
    return [(m, result.get(i)) for i, m in enumerate(mentions)]


@narrative_rule
class ProjectName(NarrativeRule):
    id = "N.project-name"
    title = "情况说明中的项目与表十二的项目支出绩效目标表一致"
    severity = "error"
    also = {"warning": "项目能对应、只是名称写法不同"}
    tables = ("T12",)
    template = "{where}：{problem}"

    def check(self, ctx):
        seen = set()
        named = set()
        listed = False
        for mention, project in _matched_projects(ctx):
            listed |= mention.sentence.section == "gp"
            if project is not None:
                named.add(project.name)
            key = (_norm_name(mention.name), project.name if project else None)
            if key in seen:
                continue
            seen.add(key)
            if project is None:
                yield self.at(ctx, mention.sentence.para, where=mention.sentence.quote(),
                              problem=f"项目“{mention.name}”在表十二中没有项目支出绩效目标表")
            elif _norm_name(project.name) != _norm_name(mention.name):
                yield self.at(ctx, mention.sentence.para, (project.place,), severity="warning",
                              where=mention.sentence.quote(),
                              problem=f"项目名称“{mention.name}”与表十二的“{project.name}”不一致")
        if listed:
            first = next(m for m in ctx.claims.projects if m.sentence.section == "gp")
            for project in ctx.facts.projects():
                if project.name not in named:
                    yield self.at(ctx, first.sentence.para, (project.place,), where=first.sentence.quote(),
                                  problem=f"表十二的项目“{project.name}”未在项目清单中列出")


@narrative_rule
class ProjectCount(NarrativeRule):
    id = "N.project-count"
    title = "情况说明中的项目个数等于表十二的项目支出绩效目标表个数"
    severity = "error"
    tables = ("T12",)
    template = "{where}：项目个数为 {actual}，表十二有 {expected} 个项目支出绩效目标表"

    def check(self, ctx):
        projects = ctx.facts.projects()
        for count in ctx.claims.counts:
            if count.year not in (None, ctx.year) or count.count == len(projects):
                continue
            where = "、".join(s.quote() for s in count.sentences)
            actual = f"{count.count}（{count.raw}）" if "+" in count.raw else str(count.count)
            yield self.at(ctx, count.sentences[0].para, tuple(p.place for p in projects), where=where,
                          actual=actual, expected=str(len(projects)))


# --- years, date, leftovers --------------------------------------------------------------------

@narrative_rule
class Year(NarrativeRule):
    id = "N.year"
    title = "情况说明中的年度与预算年度一致（比较年度为上一年）"
    severity = "error"
    tables = ()
    template = "{where}：{problem}"

    def check(self, ctx):
        y = ctx.year
        found: dict[tuple, str] = {}
        for sentence, year, raw in ctx.claims.years:
            if year != y:
                found.setdefault((sentence.para, sentence.text), f"“{raw}”的年度应为预算年度 {y} 年")
        for s in ctx.claims.statements:
            key = (s.sentence.para, s.sentence.text)
            if s.year is not None and s.year != y and not s.subject.startswith(("cars", "equipment")):
                found.setdefault(key, f"{s.words}写在 {s.year} 年下，预算年度为 {y} 年")
            if s.compare_year is not None and s.compare_year != y - 1:
                found.setdefault(key, f"与 {s.compare_year} 年比较，上年应为 {y - 1} 年")
        sentences = {(s.para, s.text): s for s in ctx.claims.sentences}
        for (para, text), problem in found.items():
            sentence = sentences.get((para, text))
            yield self.at(ctx, para, where=sentence.quote() if sentence else f"第{para}段", problem=problem)


@narrative_rule
class SigningDate(NarrativeRule):
    id = "N.date"
    title = "落款日期在预算年度内"
    severity = "error"
    tables = ()
    template = "{where}：{problem}"

    def check(self, ctx):
        if not ctx.claims.dates:
            return
        line = ctx.claims.dates[-1]  # the signature is the last date standing on its own
        if line.day is None:
            problem = f"落款日期“{line.raw}”不是有效日期"
        elif line.day.year != ctx.year:
            problem = (f"落款日期 {line.raw} 不在预算年度 {ctx.year} 年内：{ctx.year} 年预算经批复后方能公开，"
                       f"落款应为 {ctx.year} 年的日期")
        else:
            return
        yield self.at(ctx, line.sentence.para, where=line.sentence.quote(), problem=problem)


_LEFTOVER = re.compile(r"(?:增加|增长|减少|下降)[（(](?:增加|增长|减少|下降)[）)]|[XＸ×]{2,}|＿{2,}|_{3,}"
                       r"|[（(](?:增加|补充|填写|具体)内容[）)]|[（(]略[）)]")


@narrative_rule
class Leftover(NarrativeRule):
    id = "N.leftover"
    title = "情况说明中没有留下模板的备选字样或待填写占位符"
    severity = "warning"
    tables = ()
    template = "{where}：留有模板字样 {found}，请按实际情况改写"

    def check(self, ctx):
        for s in ctx.claims.sentences:
            found = list(dict.fromkeys(m.group(0) for m in _LEFTOVER.finditer(s.text)))
            if found:
                yield self.at(ctx, s.para, where=s.quote(), found="、".join(f"“{x}”" for x in found))


@narrative_rule
class Unfinished(NarrativeRule):
    id = "N.unfinished"
    title = "情况说明中没有留下【请填写】【请核对】"
    severity = "error"
    tables = ()
    template = "{where}：仍有 {found}，说明尚未完成，不能公开"

    def check(self, ctx):
        for sentence, mark in ctx.claims.marks:
            yield self.at(ctx, sentence.para, where=sentence.quote(), found=mark)


# --- the text against itself ---------------------------------------------------------------------

_WHOLE = re.compile(r"(?:合计|总额|共计|总计)\s*(?:为)?\s*$")


@narrative_rule
class Parts(NarrativeRule):
    id = "N.parts"
    title = "情况说明中所列各部分之和等于所述总数（人员经费与公用经费之和等于基本支出，各项目之和等于项目支出）"
    severity = "error"
    tables = ()
    template = "{where}：{parts} 合计 {added}万元，而文中所述{whole}为 {stated}"

    def check(self, ctx):
        said: dict[str, Statement] = {}
        for s in ctx.claims.statements:
            if s.sentence.section == "gp" and s.value is not None and s.value.unit == "万元":
                said.setdefault(s.subject, s)
        basic, parts = said.get("basic"), [said.get("personnel"), said.get("public")]
        if any(_off_table(ctx, x) for x in (basic, *parts)):
            basic = None  # a figure off its table: N.figure says so, once
        if basic and all(parts):
            added = sum((p.value.value for p in parts), ZERO)
            if added != basic.value.value:
                yield self.at(ctx, parts[0].sentence.para, where=parts[0].sentence.quote(),
                              parts=" + ".join(f"{p.words}{p.value.raw}" for p in parts), added=_amount(added),
                              whole=basic.words, stated=basic.value.raw)
        by_sentence: dict[int, list] = {}
        for mention in ctx.claims.projects:
            by_sentence.setdefault(id(mention.sentence), []).append(mention)
        for mentions in by_sentence.values():
            sentence = mentions[0].sentence
            stated = _stated_whole(sentence.text)
            if stated is None or any(m.amount is None for m in mentions):
                continue
            added = sum((m.amount.value for m in mentions), ZERO)
            if added != stated.value:
                yield self.at(ctx, sentence.para, where=sentence.quote(),
                              parts=f"所列 {len(mentions)} 个项目", added=_amount(added), whole="合计",
                              stated=stated.raw)


def _off_table(ctx, statement: Statement | None) -> bool:
    fact = ctx.fact(statement.subject) if statement is not None else None
    return fact is not None and fact.value is not None and fact.value != statement.value.value


def _stated_whole(text: str):
    """The amount a list's sentence states as its whole ("合计 213.00万元"), before the list."""
    from .claims import _LIST, _numbers

    head = text[:m.start()] if (m := _LIST.search(text)) else ""
    for num in _numbers(head):
        if num.unit == "万元" and _WHOLE.search(head[:num.start]):
            return num
    return None


@narrative_rule
class ListedCount(NarrativeRule):
    id = "N.listed-count"
    title = "情况说明中“共N个”与其后列出的个数一致"
    severity = "error"
    tables = ()
    template = "{where}：写作“{raw}”，其后列出 {listed} 个"

    def check(self, ctx):
        from .claims import _LIST

        for sentence in ctx.claims.sentences:
            count = re.search(r"共(?:安排|有|计)?[^，,；;。：:\d]{0,8}?(\d+)\s*(个|项)", sentence.text)
            listed = _LIST.search(sentence.text)
            if not count or not listed or listed.start() < count.end():
                continue
            items = [x for x in re.split(r"[、；;]", sentence.text[listed.end():].rstrip("。；; ")) if x.strip()]
            if len(items) > 1 and len(items) != int(count.group(1)):
                yield self.at(ctx, sentence.para, where=sentence.quote(), raw=count.group(0), listed=len(items))


_EMPTY_REASON = re.compile(r"(?:主要原因是|主要原因为|原因是|原因为|主要是由于|主要由于)\s*(?:[。；;，,]|$)")


@narrative_rule
class EmptyReason(NarrativeRule):
    id = "N.empty-reason"
    title = "说明增减原因时原因不为空"
    severity = "error"
    tables = ()
    template = "{where}：写了“{said}”却没有写出原因"

    def check(self, ctx):
        for sentence in ctx.claims.sentences:
            m = _EMPTY_REASON.search(sentence.text)
            if m:
                yield self.at(ctx, sentence.para, where=sentence.quote(), said=m.group(0).rstrip("。；;，, "))


@narrative_rule
class UnexplainedChange(NarrativeRule):
    id = "N.no-reason"
    title = "比上年增减超过 50% 时说明原因"
    severity = "warning"
    tables = ()
    template = "{where}：{what}{word}{percent}，变动超过 50%，未说明原因"

    def check(self, ctx):
        from .claims import _REASON

        for s in ctx.claims.statements:
            if s.percent is None or s.percent.value <= 50 or direction(s.percent_word) is None:
                continue
            if not _REASON.search(s.sentence.text):
                yield self.at(ctx, s.sentence.para, _places(ctx, s), where=s.sentence.quote(), what=s.words,
                              word=s.percent_word, percent=s.percent.raw)


@narrative_rule
class Duplicate(NarrativeRule):
    id = "N.duplicate"
    title = "情况说明中没有重复的段落或条目"
    severity = "warning"
    tables = ()
    template = "{where}：与第{first}段重复"

    def check(self, ctx):
        paragraphs: dict[int, list[Sentence]] = {}
        for sentence in ctx.claims.sentences:
            paragraphs.setdefault(sentence.para, []).append(sentence)
        seen: dict[str, int] = {}
        for para, sentences in paragraphs.items():
            whole = "".join(s.text for s in sentences)
            if sentences[0].section == "toc" or _heading(whole):
                continue  # the contents repeat the headings by design
            text = re.sub(r"^\s*[（(]?[\d一二三四五六七八九十]+[）)、.．]\s*", "", whole)
            text = re.sub(r"\s+", "", text)
            if len(text) < 20:
                continue
            if text in seen:
                yield self.at(ctx, para, where=sentences[0].quote(), first=seen[text])
            else:
                seen[text] = para


@narrative_rule
class OutdatedName(NarrativeRule):
    id = "N.outdated-name"
    title = "情况说明中的支出功能分类名称为现行名称"
    severity = "warning"
    tables = ()
    template = "{where}：“{old}”是旧科目名称，{code} 类现称“{new}”"

    def check(self, ctx):
        from .. import spec

        for sentence in ctx.claims.sentences:
            for old, (code, new) in spec.OUTDATED_CLASS_NAMES.items():
                if old in sentence.text and not any(old in other and other in sentence.text and other != old
                                                    for other in spec.OUTDATED_CLASS_NAMES):
                    yield self.at(ctx, sentence.para, where=sentence.quote(), old=old, code=code, new=new)


@narrative_rule
class Unplaced(NarrativeRule):
    id = "N.unplaced"
    title = "情况说明中未能对应到表中的金额（未作核对）"
    severity = "info"
    tables = ()
    template = "{where}：金额“{figure}”未能对应到表中的数，未作核对，请人工核对"
    placed = "the sentence of the 情况说明 that states the amount (no table has it)"

    def check(self, ctx):
        for sentence, num in ctx.coverage().unplaced:
            yield self.at(ctx, sentence.para, where=sentence.quote(), figure=num.raw)


def _has_tables(rule, tables) -> bool:
    """A rule runs when the book has one of the tables it reads (a published PDF of the 9-table
    layout has no 表十二: the number of projects it states cannot be compared)."""
    return not rule.tables or any(t in tables for t in rule.tables)


def run(ctx: NarrativeContext) -> list[Finding]:
    """Every N.* finding, in the order of the text."""
    tables = ctx.facts.book.tables
    findings = [f for rule in REGISTRY if rule.reads == "text" and _has_tables(rule, tables) for f in rule().check(ctx)]
    return sorted(findings, key=lambda f: ctx.order.get(f, 0))
