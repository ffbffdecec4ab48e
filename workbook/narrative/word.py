"""The 情况说明 as a Word document (python-docx), laid out like a government document.

GB/T 9704 page: A4, margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right, 28 pt lines;
body 仿宋_GB2312 三号 with a two-character first-line indent, headings 黑体 三号, the title
黑体 二号, contents 小四 (its longest line fits one line), page numbers 四号, the footnote 小五. Chinese text takes its font from w:eastAsia, which
python-docx's font.name does not set, so every style and run gets all four rFonts names
(and loses the template's theme fonts, which would win otherwise). Headings use Word's
Heading 1–3 styles, so the navigation pane and a table of contents see the outline.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from .compose import Blank, Footnote, Para

BODY_FONT, HEADING_FONT, PAGE_FONT = "仿宋_GB2312", "黑体", "宋体"
SIZE = {"二号": Pt(22), "三号": Pt(16), "四号": Pt(14), "小四": Pt(12), "小五": Pt(9)}

# paragraph kind -> (Word style, font, size, alignment, first-line indent in characters)
LAYOUT = {
    "title": ("Title", HEADING_FONT, "二号", WD_ALIGN_PARAGRAPH.CENTER, 0),
    "toc-head": ("Heading 1", HEADING_FONT, "三号", WD_ALIGN_PARAGRAPH.CENTER, 0),
    "toc": ("Normal", BODY_FONT, "小四", WD_ALIGN_PARAGRAPH.LEFT, 2),  # the longest line fits: no character left alone
    "part": ("Heading 1", HEADING_FONT, "三号", WD_ALIGN_PARAGRAPH.CENTER, 0),
    "h1": ("Heading 2", HEADING_FONT, "三号", WD_ALIGN_PARAGRAPH.LEFT, 2),
    "h2": ("Heading 3", HEADING_FONT, "三号", WD_ALIGN_PARAGRAPH.LEFT, 2),
    "body": ("Normal", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "item": ("Normal", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.JUSTIFY, 2),
    "sign": ("Normal", BODY_FONT, "三号", WD_ALIGN_PARAGRAPH.RIGHT, 0),
}


def set_font(target, name: str, size=None) -> None:
    """A run's or style's font by name for Latin and Chinese text alike (w:eastAsia included)."""
    target.font.name = name
    if size is not None:
        target.font.size = size
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def document(paras: list[Para], *, title: str, author: str) -> Document:
    doc = Document()
    _page(doc)
    _styles(doc)
    notes: list[str] = []
    for para in paras:
        style, font, size, align, indent = LAYOUT[para.kind]
        p = doc.add_paragraph(style=style)
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(SIZE[size].pt * indent) if indent else Pt(0)
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28 if para.kind != "title" else 36)
        fmt.space_before = fmt.space_after = Pt(0)
        if para.kind in ("part", "title") and doc.paragraphs[:-1]:
            fmt.space_before = Pt(14)
        for part in para.parts:
            if isinstance(part, Footnote):
                notes.append(part.text)
                p._p.append(_footnote_reference(len(notes)))
                continue
            run = p.add_run(str(part))
            set_font(run, font, SIZE[size])
            if isinstance(part, Blank):  # seen at a glance, and found again with Word's search
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if notes:
        _footnotes(doc, notes)
    props = doc.core_properties
    props.title, props.author, props.subject = title, author, "部门预算公开情况说明"
    props.keywords, props.comments = "部门预算公开; 情况说明", "由 budgetbook 根据部门预算公开表生成"
    return doc


def to_bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _page(doc: Document) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_font(footer.add_run("— "), PAGE_FONT, SIZE["四号"])
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = footer.add_run("1")
    set_font(run, PAGE_FONT, SIZE["四号"])
    run._r.addprevious(field)
    field.append(run._r)
    set_font(footer.add_run(" —"), PAGE_FONT, SIZE["四号"])


def _styles(doc: Document) -> None:
    for name, font, size in (("Normal", BODY_FONT, "三号"), ("Title", HEADING_FONT, "二号"),
                             ("Heading 1", HEADING_FONT, "三号"), ("Heading 2", HEADING_FONT, "三号"),
                             ("Heading 3", HEADING_FONT, "三号")):
        style = doc.styles[name]
        set_font(style, font, SIZE[size])
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.font.bold = False  # 黑体 is bold enough; a bold 仿宋 heading would be another convention
        if name == "Title":  # the template's Title has a bottom border and extra spacing
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)


# --- footnotes (python-docx has no API for them: the part is written here) ----------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
NOTE_SIZE = "小五"


def _footnote_reference(number: int):
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    align = OxmlElement("w:vertAlign")
    align.set(qn("w:val"), "superscript")
    props.append(align)
    run.append(props)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(number))
    run.append(ref)
    return run


def _footnotes(doc: Document, notes: list[str]) -> None:
    """word/footnotes.xml: the two separators Word expects, then one footnote per note."""
    from xml.sax.saxutils import escape

    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    half_points = int(SIZE[NOTE_SIZE].pt * 2)
    fonts = f'<w:rFonts w:ascii="{BODY_FONT}" w:hAnsi="{BODY_FONT}" w:eastAsia="{BODY_FONT}" w:cs="{BODY_FONT}"/>'
    body = "".join(
        f'<w:footnote w:id="{n}"><w:p><w:r><w:rPr>{fonts}<w:vertAlign w:val="superscript"/>'
        f'<w:sz w:val="{half_points}"/></w:rPr><w:footnoteRef/></w:r><w:r><w:rPr>{fonts}<w:sz w:val="{half_points}"/>'
        f'</w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        for n, text in enumerate(notes, 1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{_W}">'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f'</w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), _FOOTNOTES_TYPE, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, _FOOTNOTES_REL)
