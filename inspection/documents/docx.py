"""DOCX renderer (python-docx): the same `OfficialDocument` the PDF renderer reads, laid out for Word.

GB/T 9704 page (A4, 37/35/28/26 mm margins) with a document grid of 22 lines × 28 characters, page
numbers "— 1 —" as PAGE fields (odd pages right, even pages left), and every paragraph in a named style
of `docx_styles` (公文标题, 主送机关, 公文正文, 一级标题 …) with no direct font or size, so a secretary
edits the letter by its styles. Each style names its East Asian face in `w:eastAsia` (python-docx's
`font.name` sets only the Latin faces, #346), and the font table gives each official face an `altName`
Word falls back to. Tables are written as WordprocessingML directly (python-docx's cell API is slow for
long tables); header rows repeat on every page (`w:tblHeader`) and rows do not split across pages
(`w:cantSplit`). The 版记 is a table floated to the foot of the last page's text block.
"""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from inspection.documents import docx_styles as ds
from inspection.documents import fonts
from inspection.documents.charts import render_png
from inspection.documents.model import Figure, Heading, OfficialDocument, PageBreak, Paragraph, Table
from inspection.errors import RenderError

W = nsdecls("w")
_JC = {"left": "left", "center": "center", "right": "right"}
_HEADING = {1: "GwHeading1", 2: "GwHeading2", 3: "GwHeading3"}


class DocxRenderer:
    """Renders documents to DOCX bytes; stateless apart from chart PNGs cached per process."""

    def render(self, doc: OfficialDocument) -> bytes:
        try:
            document = self._build(doc)
            buf = io.BytesIO()
            document.save(buf)
            return buf.getvalue()
        except Exception as exc:  # map python-docx/lxml errors at this edge
            raise RenderError(f"生成DOCX失败（{doc.title}）：{exc}", f"DOCX rendering failed ({doc.title}): {exc}",
                              kind=doc.kind) from exc

    def _build(self, doc: OfficialDocument):
        d = Document()
        _styles(d, ds.for_document(doc.issue.masthead_size_pt, doc.signature_text, doc.date_text))
        _page_setup(d)
        _font_table(d)
        d.core_properties.title = doc.title.replace("\n", "")
        d.core_properties.author = doc.issue.authority
        self.d, self.body = d, d.element.body
        self._masthead(doc)
        self._par("GwDocTitle", doc.title.split("\n"))
        self._par("GwAddressee", [doc.addressee])
        for block in doc.body:
            self._block(block)
        if doc.attachments:
            lines = doc.attachment_list
            self._par("GwAttachmentList", [f"附件：{lines[0]}", *lines[1:]])
        self._par("GwSignature", [doc.signature_text])
        self._par("GwSignDate", [doc.date_text])
        for k, att in enumerate(doc.attachments, 1):
            self._page_break()
            self._par("GwAttachmentMark", [f"附件{k if len(doc.attachments) > 1 else ''}"])
            self._par("GwAttachmentTitle", [att.title])
            for block in att.blocks:
                self._block(block)
        self._colophon(doc)
        return d

    def _append(self, xml: str) -> None:
        """Add a block before the body's final section properties."""
        self.body.sectPr.addprevious(parse_xml(xml))

    def _par(self, style: str, lines, *, lead: str = "", ppr: str = "") -> None:
        self._append(_paragraph(style, lines, lead=lead, ppr=ppr))

    def _page_break(self) -> None:
        self._append(f'<w:p {W}><w:pPr><w:pStyle w:val="GwSpacer"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>')

    def _masthead(self, doc: OfficialDocument) -> None:
        self._par("GwMasthead", [doc.issue.masthead_text])
        if doc.upward:
            self._upward_number(doc)
        else:
            self._par("GwDocNumber", [str(doc.issue.number)])
        self._par("GwRedRule", [""], ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="1" w:color="{ds.RED}"/>'
                                       "</w:pBdr>")

    def _upward_number(self, doc: OfficialDocument) -> None:
        """上行文: 发文字号 one character in from the left, 签发人 (name in 楷体) one in from the right."""
        label, name = doc.signer_text
        tab = ds.TEXT_WIDTH_TWIPS - round(ds.CHAR_PT * 20)
        ppr = (f'<w:tabs><w:tab w:val="right" w:pos="{tab}"/></w:tabs>'
               f'<w:ind w:left="{round(ds.CHAR_PT * 20)}" w:leftChars="100"/><w:jc w:val="left"/>')
        self._append(f'<w:p {W}><w:pPr><w:pStyle w:val="GwDocNumber"/>{ppr}</w:pPr>{_run(str(doc.issue.number))}'
                     f'{_run(chr(9) + label)}{_run(name, "GwRunInHead")}</w:p>')

    def _block(self, b) -> None:
        if isinstance(b, Heading):
            self._par(_HEADING.get(b.level, "GwHeading3"), [b.text])
        elif isinstance(b, Paragraph):
            ppr = ("" if b.indent else '<w:ind w:firstLine="0" w:firstLineChars="0"/>') + (
                "" if b.align == "left" else f'<w:jc w:val="{_JC[b.align]}"/>')  # CT_PPr order: ind, jc
            self._par("GwBody", [b.text], lead=b.lead, ppr=ppr)
        elif isinstance(b, Table):
            self._table(b)
        elif isinstance(b, Figure):
            p = self.d.add_paragraph(style=self.d.styles[ds.STYLES["GwFigure"].name])
            p.add_run().add_picture(io.BytesIO(render_png(b.chart, b.width_mm)), width=Mm(b.width_mm))
            self._par("GwFigureCaption", [b.caption])
        elif isinstance(b, PageBreak):
            self._page_break()

    def _table(self, t: Table) -> None:
        text, head = ds.table_styles(t.size)
        if t.caption:
            self._par("GwTableCaption", [t.caption])
        total = sum(c.width for c in t.columns)
        widths = [round(ds.TEXT_WIDTH_TWIPS * c.width / total) for c in t.columns]
        rows = [_row([c.label for c in t.columns], widths, ["center"] * len(widths), head, header=True)]
        for k, row in enumerate(t.rows):
            shade = bool(t.emphasis and t.emphasis[k])
            rows.append(_row(row, widths, [c.align for c in t.columns], text, shade=shade))
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        self._append(
            f'<w:tbl {W}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{"".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))}'
            f'</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>{_cell_margins(t.size)}</w:tblCellMar>'
            '</w:tblPr><w:tblGrid>'
            + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>" + "".join(rows) + "</w:tbl>")
        if t.note:
            self._par("GwTableNote", [f"注：{t.note}"])

    def _colophon(self, doc: OfficialDocument) -> None:
        """版记 (7.4): 抄送 and the printing line in a table ruled 0.35 mm above and below and 0.25 mm
        between (w:sz in eighths of a point: 8 and 6), floated to the foot of the text block of the
        page the document ends on (w:tblpYSpec="bottom"). Placed across from the page's edge at the
        left margin, not centred in the margins: LibreOffice lays a floating table as wide as the
        text in the flow, after the text, unless it is placed from the page. 印发机关 stands one
        character in from the left and 印发日期 one in from the right, on one line: the date's column
        is as wide as the date."""
        office, printed = doc.print_line
        char = round(fonts.SIZE["四号"] * 20)
        width = ds.TEXT_WIDTH_TWIPS
        right_col = round((_ems(printed) * 1.15 + 2) * char)   # Latin digits run wider than half a character
        left_col = width - right_col
        rows = []
        if doc.issue.copy_to:
            copy_to = _paragraph("GwColophon", [f"抄送：{'，'.join(doc.issue.copy_to)}。"],
                                 ppr=f'<w:keepNext/><w:ind w:left="{char}" w:right="{char}"/>')
            rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>'
                        f'<w:gridSpan w:val="2"/></w:tcPr>{copy_to}</w:tc></w:tr>')
        left = _paragraph("GwColophon", [office], ppr=f'<w:ind w:left="{char}"/>')
        right = _paragraph("GwColophon", [printed], ppr=f'<w:ind w:right="{char}"/><w:jc w:val="right"/>')
        rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{left_col}" w:type="dxa"/>'
                    f'</w:tcPr>{left}</w:tc><w:tc><w:tcPr><w:tcW w:w="{right_col}" w:type="dxa"/></w:tcPr>{right}'
                    "</w:tc></w:tr>")
        pad, gap = (ds.twips(fonts.COLOPHON[k]) for k in ("padding_mm", "gap_mm"))
        self._par("GwSpacer", [""])
        self._append(
            f'<w:tbl {W}><w:tblPr><w:tblpPr w:leftFromText="0" w:rightFromText="0" w:topFromText="{gap}" '
            f'w:bottomFromText="0" w:vertAnchor="margin" w:horzAnchor="page" w:tblpX="{ds.LEFT_MARGIN_TWIPS}" '
            f'w:tblpYSpec="bottom"/><w:tblOverlap w:val="never"/><w:tblW w:w="{width}" w:type="dxa"/><w:tblBorders>'
            '<w:top w:val="single" w:sz="8" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:color="000000"/>'
            '<w:insideH w:val="single" w:sz="6" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="{pad}" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            f'<w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{left_col}"/><w:gridCol w:w="{right_col}"/></w:tblGrid>{"".join(rows)}</w:tbl>')
        # A table may not end a body: Word needs a final paragraph before the section properties.
        self._par("GwSpacer", [""])


def _cell_margins(size: str) -> str:
    """The PDF's cell padding (0.8 × 1.2 mm; 小五 tables 0.6 × 0.5 mm) in twips."""
    vertical, horizontal = (34, 28) if size == "tiny" else (45, 68)
    return "".join(f'<w:{side} w:w="{w}" w:type="dxa"/>' for side, w in
                   (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal)))


def _ems(text: str) -> float:
    """Width of `text` in ems: digits and Latin letters are half as wide as a Chinese character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


# LibreOffice finds no line break in a list of indicator codes: "G1、G2、G3" wrapped as "G" / "1、G2"
# with "、" opening a line. A zero-width space after each "、" before a code is the break Word and
# WPS already allow; it prints nothing. Only there: elsewhere the text stays as written.
_BREAK_AFTER_PUNCTUATION = re.compile(r"(?<=、)(?=[A-Z]\d)")


def _run(text: str, style: str = "") -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    parts = _BREAK_AFTER_PUNCTUATION.sub("\u200b", str(text)).split("\t")
    return f"<w:r>{rpr}" + "<w:tab/>".join(f'<w:t xml:space="preserve">{escape(p)}</w:t>' for p in parts) + "</w:r>"


def _paragraph(style: str, lines, *, lead: str = "", ppr: str = "") -> str:
    """A paragraph of `style`; lines joined by line breaks; `lead` a run-in heading (段首标题)."""
    runs = (_run(lead, "GwRunInHead") if lead else "") + "<w:r><w:br/></w:r>".join(_run(t) for t in lines)
    return f'<w:p {W}><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>'


def _row(cells, widths, aligns, style, *, header=False, shade=False) -> str:
    trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    fill = '<w:shd w:val="clear" w:color="auto" w:fill="ECECEC"/>' if header else (
        '<w:shd w:val="clear" w:color="auto" w:fill="F3F3F3"/>' if shade else "")
    tcs = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{fill}<w:vAlign w:val="center"/></w:tcPr>'
                  + _paragraph(style, str(text).split("\n"), ppr=f'<w:jc w:val="{_JC[align]}"/>')
                  + "</w:tc>" for text, w, align in zip(cells, widths, aligns))
    return f"<w:tr>{trpr}{tcs}</w:tr>"


def _page_setup(d) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.footer_distance = Mm(22)
    # 22 lines a page (4.2.3); the 28 characters a line come from the grid styles (docx_styles)
    grid = s._sectPr.find(qn("w:docGrid"))       # python-docx's template has one, in its schema place
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(ds.LINE_PITCH_TWIPS))
    d.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((s.footer, "right", "right"), (s.even_page_footer, "left", "left")):
        p = footer.paragraphs[0]._p
        p.addprevious(parse_xml(
            f'<w:p {W}><w:pPr><w:pStyle w:val="GwPageNumber"/><w:ind w:{side}="{round(fonts.SIZE["四号"] * 20)}"/>'
            f'<w:jc w:val="{align}"/></w:pPr>{_run("— ")}<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
            f'</w:r>{_run("1")}<w:r><w:fldChar w:fldCharType="end"/></w:r>{_run(" —")}</w:p>'))
        p.getparent().remove(p)


def _styles(d, styles: dict[str, ds.Style]) -> None:
    """Normal as the base of every style (faces, 三号, the exact 28.95 pt line), then the document's own."""
    root = d.styles.element
    normal = d.styles["Normal"].element
    for child in list(normal):
        if child.tag in (qn("w:pPr"), qn("w:rPr")):
            normal.remove(child)
    for part in parse_xml(f"<w:style {W}>{ds.normal_xml()}</w:style>"):
        normal.append(part)
    for style in styles.values():
        root.append(parse_xml(style.xml().replace("<w:style ", f"<w:style {W} ", 1)))


def _font_table(d) -> None:
    """Give each official face an altName (e.g. 仿宋_GB2312 → 仿宋), its family and the GB2312 charset."""
    part = next((r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    for role in fonts.ROLES.values():
        family = "swiss" if role.generic == "sans-serif" else "roman"
        root.append(parse_xml(f'<w:font {W} w:name="{role.docx_name}"><w:altName w:val="{role.alt_name}"/>'
                              f'<w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
