"""How much of a written 情况说明 was checked: every amount in a sentence is either tied to a table
figure (or to the text's own stated whole) and checked, or it could not be placed.

Silence means checked: narrative-check says 未发现问题 only when amounts were checked, reports each
amount it could not place (N.unplaced, 提示), and when fewer than half could be placed it
says so and exits 1, because a person must read the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .claims import _AFTER_THRESHOLD, _ROUGH, Num, Sentence, _numbers

MONEY = ("万元", "元", "亿元")
SKIPPED = ("glossary", "toc", "tables")  # sections whose figures are not claims


@dataclass
class Coverage:
    sentences: int = 0  # sentences with an amount
    figures: int = 0  # amounts in them
    checked: int = 0  # tied to a table figure (or to the text's own whole) and compared
    unplaced: list[tuple[Sentence, Num]] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        """At least half of the amounts were placed (and some were)."""
        return self.checked > 0 and self.checked * 2 >= self.figures

    def line(self) -> str:
        text = (f"核对范围：含金额的句子 {self.sentences} 句，金额 {self.figures} 个，其中 {self.checked} 个已与表中数核对，"
                f"{len(self.unplaced)} 个未能对应到表中。")
        if not self.enough:
            text += "能对应的金额不到一半，请人工通读核对。"
        return text

    def lines(self) -> list[str]:
        """The coverage line (each amount that could not be placed is a finding of N.unplaced)."""
        return [self.line()]


def measure(ctx, matched_projects, stated_whole) -> Coverage:
    """The coverage of one text (ctx: rules.NarrativeContext), with the rules' pairing of the
    projects named to 表十二's and their reading of a list's stated whole."""
    placed: set[tuple[int, str, int]] = set()
    for s in ctx.claims.statements:
        fact = ctx.fact(s.subject)
        if fact is None or (fact.value is None and not s.subject.startswith("item:")):
            continue  # not in the tables (a 项 they lack is N.figure's finding, so it is checked)
        for num in (s.value, s.change):
            if num is not None:
                placed.add((s.sentence.para, s.sentence.text, num.start))
    for mention, project in matched_projects:
        if project is not None and mention.amount is not None:
            placed.add((mention.sentence.para, mention.sentence.text, _start_in(mention)))
    out = Coverage()
    for sentence in ctx.claims.sentences:
        if sentence.section in SKIPPED:
            continue
        text = sentence.text  # a threshold (50万元以上) or an approximation (约42万元) states no amount
        amounts = [n for n in _numbers(text) if n.unit in MONEY and not _ROUGH.search(text[:n.start])
                   and not _AFTER_THRESHOLD.match(text[n.end:])]
        if not amounts:
            continue
        whole = stated_whole(sentence.text)
        out.sentences += 1
        for num in amounts:
            out.figures += 1
            if (sentence.para, sentence.text, num.start) in placed or (whole is not None and whole.start == num.start):
                out.checked += 1
            else:
                out.unplaced.append((sentence, num))
    return out


def _start_in(mention) -> int:
    """Where a listed project's amount starts in its sentence."""
    text, raw = mention.sentence.text, mention.amount.raw
    at = text.find(mention.name)
    return text.find(raw, at if at >= 0 else 0)
