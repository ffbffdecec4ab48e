"""The paragraphs of a written 情况说明: .docx (python-docx), .txt, or a PDF with a text layer.

Plain text and PDF text come as lines: a paragraph broken by a page or by the line width is
joined again (a line that does not end a sentence continues, unless the next one starts a new
heading or numbered item), page-number lines are dropped.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..errors import BudgetbookError

SUFFIXES = (".docx", ".txt", ".pdf")

_PAGE_NUMBER = re.compile(r"^[—\-–－\s]*\d{1,3}[—\-–－\s]*$|^第\s*\d+\s*页(\s*共\s*\d+\s*页)?$")
_STARTS_NEW = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
                         r"|\d+\s*[、.．](?!\d)|附件|目\s*录|前\s*言)")
_HEADING = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)])")
_ENDS = "。！？；：:!?;"
_BULLET = re.compile(r"^[-•·*]\s+")


def paragraphs(path: Path) -> list[str]:
    path = Path(path)
    if not path.is_file():
        raise BudgetbookError(f"找不到情况说明文件 {path}。")
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix == ".txt":
        return join_lines(_text(path).splitlines())
    if suffix == ".pdf":
        from ..office import pdf_text

        lines = pdf_text(path).replace("\f", "\n").splitlines()
        found = join_lines(lines)
        if not found:
            raise BudgetbookError(f"{path} 中没有可读取的文字（可能是扫描件），请提供 Word 文档或带文字层的 PDF。")
        return found
    raise BudgetbookError(f"{path} 不是支持的情况说明格式，请使用 .docx、.txt 或带文字层的 .pdf 文件。")


def _docx(path: Path) -> list[str]:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise BudgetbookError(f"{path} 不是有效的 Word 文档（.docx），无法打开。") from None
    out = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_element_text(block))
        elif tag == "tbl":  # a table's cells in reading order, each a paragraph
            out += [_element_text(p) for p in block.iter() if p.tag.endswith("}p")]
    return [plain(t) for t in (x.strip() for x in out) if t]


def _element_text(p) -> str:
    return "".join(node.text or "" for node in p.iter() if node.tag.rsplit("}", 1)[-1] in ("t", "tab"))


def _text(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese Windows saves text in the ANSI code page
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise BudgetbookError(f"{path} 的文字编码无法识别，请另存为 UTF-8 编码的文本文件。")


_CJK = r"[\u2018-\u201f\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"  # with “” and full-width punctuation
_CJK_GAP = re.compile(rf"(?<={_CJK})[ \t]+(?={_CJK})")


_WIDE = str.maketrans("０１２３４５６７８９％", "0123456789%")
_WIDE_POINT = re.compile(r"(?<=\d)．(?=\d)")


def plain(text: str) -> str:
    """Full-width digits and ％ as ASCII (8９9.20 typed with a Chinese input method)."""
    return _WIDE_POINT.sub(".", text.translate(_WIDE))


def join_lines(lines) -> list[str]:
    cleaned = []
    for raw in lines:
        # PDF text spaces out justified lines ("万 元"): Chinese has no spaces between characters
        line = _CJK_GAP.sub("", _BULLET.sub("", plain(raw).strip().replace("\u3000", " ")).strip())
        if line and not _PAGE_NUMBER.match(line):
            cleaned.append(line)
    full = _full_width(cleaned)
    out: list[str] = []
    for line in cleaned:
        if out and _continues(out[-1], line, full):
            out[-1] += line
        else:
            out.append(line)
    return out


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _full_width(lines: list[str]) -> int:
    """The width of a line the page width cut (PDF text); huge for text with a paragraph a line."""
    widths = sorted(_width(line) for line in lines)
    return int(widths[len(widths) * 4 // 5] * 0.9) if len(widths) >= 10 else 10 ** 6


def _continues(previous: str, line: str, full: int) -> bool:
    if _STARTS_NEW.match(line) or previous[-1] in _ENDS:
        return False
    if previous[-1] in "，、,（(" or _width(previous) >= full:  # cut at a comma, or by the page width
        return True
    # a paragraph cut by a page break; a heading is not continued
    return len(previous) >= 20 and not (_HEADING.match(previous) and len(previous) <= 30)
