"""DOCX renderer (python-docx): the same `OfficialDocument` the PDF renderer reads, laid out for Word.

GB/T 9704 page (A4, 37/35/28/26 mm margins), 3号仿宋 body on a 22-line grid, red masthead and rule,
page numbers "— 1 —" as PAGE fields (odd pages right, even pages left). Every run and style names
its East Asian face in `w:eastAsia` (python-docx's `font.name` sets only the Latin faces, #346), and
the font table gives each official face an `altName` Word falls back to. Tables are written as
WordprocessingML directly (python-docx's cell API is slow for long tables); header rows repeat on
every page (`w:tblHeader`) and rows do not split across pages (`w:cantSplit`).
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor, Twips

from inspection.documents import fonts
from inspection.documents.charts import render_png
from inspection.documents.model import Figure, Heading, OfficialDocument, PageBreak, Paragraph, Table
from inspection.errors import RenderError

BODY_PT, LINE_PT, RED = fonts.SIZE["三号"], 28.95, RGBColor(0xE6, 0x00, 0x12)
TEXT_WIDTH_TWIPS = round(156 / 25.4 * 1440)
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}
_JC = {"left": "left", "center": "center", "right": "right"}
_HEADING_FACE = {1: fonts.HEITI, 2: fonts.KAITI, 3: fonts.FANGSONG}


def rfonts_xml(role: fonts.FontRole) -> str:
    f = role.docx_name
    return (f'<w:rFonts w:ascii="{fonts.LATIN}" w:hAnsi="{fonts.LATIN}" w:eastAsia="{f}" w:cs="{fonts.LATIN}" '
            f'w:hint="eastAsia"/>')


def set_font(element, role: fonts.FontRole, size_pt: float | None = None) -> None:
    """Name `role`'s faces on a run or style element (w:rFonts incl. w:eastAsia), and its size."""
    rpr = element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    rpr.insert(0, parse_xml(rfonts_xml(role).replace("<w:rFonts", f"<w:rFonts {nsdecls('w')}")))
    if size_pt:
        half = str(round(size_pt * 2))
        for tag in ("w:sz", "w:szCs"):
            for old in rpr.findall(qn(tag)):
                rpr.remove(old)
            rpr.append(parse_xml(f'<{tag} {nsdecls("w")} w:val="{half}"/>'))


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
        _page_setup(d)
        _styles(d)
        _font_table(d)
        d.core_properties.title = doc.title.replace("\n", "")
        d.core_properties.author = doc.issue.authority
        self.d = d
        self._masthead(doc)
        self._par(doc.title.split("\n"), fonts.XIAOBIAOSONG, fonts.SIZE["二号"], align="center", indent=False,
                  bold=True, before=Pt(LINE_PT), after=Pt(LINE_PT), line=Pt(34))
        self._par([doc.addressee], indent=False)
        for block in doc.body:
            self._block(block)
        if doc.attachments:
            lines = doc.attachment_list
            p = self._par([f"附件：{lines[0]}", *lines[1:]], before=Pt(LINE_PT), indent=False)
            p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Pt(BODY_PT * 5), Pt(-BODY_PT * 3)
        width = max(len(doc.signature_text), len(doc.date_text))
        for text in (doc.signature_text, doc.date_text):
            first = text is doc.signature_text
            p = self._par([text], align="right", indent=False, before=Pt(LINE_PT * 2) if first else None)
            p.paragraph_format.right_indent = Pt(BODY_PT * (4 + (width - len(text)) / 2))
            p.paragraph_format.keep_with_next = first
        for k, att in enumerate(doc.attachments, 1):
            self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            self._par([f"附件{k if len(doc.attachments) > 1 else ''}"], fonts.HEITI, indent=False)
            self._par([att.title], fonts.XIAOBIAOSONG, fonts.SIZE["二号"], align="center", indent=False, bold=True,
                      after=Pt(12), line=Pt(34))
            for block in att.blocks:
                self._block(block)
        self._colophon(doc)
        return d

    def _par(self, lines, role=fonts.FANGSONG, size=BODY_PT, *, align="left", indent=True, bold=False,
             before=None, after=None, line=None, color=None, lead: str = "", lead_role=fonts.KAITI):
        p = self.d.add_paragraph()
        fmt = p.paragraph_format
        p.alignment = _ALIGN[align]
        if not indent:
            fmt.first_line_indent = Pt(0)
        if before is not None:
            fmt.space_before = before
        if after is not None:
            fmt.space_after = after
        if line is not None:
            fmt.line_spacing = line
        if lead:
            set_font(p.add_run(lead)._r, lead_role, size)
        for k, text in enumerate(lines):
            run = p.add_run(text)
            if k < len(lines) - 1:
                run.add_break()
            set_font(run._r, role, size)
            run.bold = bold or None
            if color is not None:
                run.font.color.rgb = color
        return p

    def _masthead(self, doc: OfficialDocument) -> None:
        self._par([doc.issue.masthead_text], fonts.XIAOBIAOSONG, doc.issue.masthead_size_pt, align="center",
                  indent=False, bold=True, color=RED, line=Pt(doc.issue.masthead_size_pt * 1.3), before=Pt(6))
        if doc.upward:
            self._upward_number(doc)
        else:
            self._par([str(doc.issue.number)], align="center", indent=False, before=Pt(LINE_PT))
        rule = self._par([""], indent=False, line=Pt(4))
        rule._p.get_or_add_pPr().append(parse_xml(
            f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="12" w:space="1" w:color="E60012"/></w:pBdr>'))

    def _upward_number(self, doc: OfficialDocument) -> None:
        """上行文: 发文字号 one character in from the left, 签发人 (name in 楷体) one in from the right."""
        p = self._par([str(doc.issue.number)], indent=False, before=Pt(LINE_PT))
        fmt = p.paragraph_format
        fmt.left_indent = fmt.right_indent = Pt(BODY_PT)
        fmt.tab_stops.add_tab_stop(Twips(TEXT_WIDTH_TWIPS - BODY_PT * 20), WD_TAB_ALIGNMENT.RIGHT)  # from the margin
        label, name = doc.signer_text
        set_font(p.add_run("\t" + label)._r, fonts.FANGSONG, BODY_PT)
        set_font(p.add_run(name)._r, fonts.KAITI, BODY_PT)

    def _block(self, b) -> None:
        if isinstance(b, Heading):
            p = self._par([b.text], _HEADING_FACE.get(b.level, fonts.FANGSONG))
            p.paragraph_format.keep_with_next = True
        elif isinstance(b, Paragraph):
            self._par([b.text], align=b.align, indent=b.indent, lead=b.lead)
        elif isinstance(b, Table):
            self._table(b)
        elif isinstance(b, Figure):
            p = self.d.add_paragraph()
            p.alignment, p.paragraph_format.first_line_indent = WD_ALIGN_PARAGRAPH.CENTER, Pt(0)
            p.paragraph_format.line_spacing, p.paragraph_format.keep_with_next = 1.0, True
            p.add_run().add_picture(io.BytesIO(render_png(b.chart, b.width_mm)), width=Mm(b.width_mm))
            self._par([b.caption], fonts.HEITI, fonts.SIZE["小四"], align="center", indent=False, after=Pt(6))
        elif isinstance(b, PageBreak):
            self.d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def _table(self, t: Table) -> None:
        size = {"small": fonts.SIZE["五号"], "tiny": fonts.SIZE["小五"]}.get(t.size, fonts.SIZE["小四"])
        if t.caption:
            cap = self._par([t.caption], fonts.HEITI, fonts.SIZE["四号"], align="center", indent=False, before=Pt(6))
            cap.paragraph_format.keep_with_next = True
        total = sum(c.width for c in t.columns)
        widths = [round(TEXT_WIDTH_TWIPS * c.width / total) for c in t.columns]
        rows = [_row([c.label for c in t.columns], widths, ["center"] * len(widths), size, header=True)]
        for k, row in enumerate(t.rows):
            shade = bool(t.emphasis and t.emphasis[k])
            rows.append(_row(row, widths, [c.align for c in t.columns], size, shade=shade))
        border = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        xml = (f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
               f'<w:tblBorders>{"".join(border.format(s) for s in ("top", "left", "bottom", "right", "insideH", "insideV"))}'
               '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
               '<w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>'
               + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>" + "".join(rows) + "</w:tbl>")
        self._append(parse_xml(xml))
        if t.note:
            self._par([f"注：{t.note}"], fonts.KAITI, fonts.SIZE["五号"], indent=False, line=1.2, after=Pt(6))

    def _append(self, element) -> None:
        """Add a block element before the body's final section properties (where add_paragraph puts them)."""
        self.d.element.body.sectPr.addprevious(element)

    def _colophon(self, doc: OfficialDocument) -> None:
        office, printed = doc.print_line
        rows = []
        if doc.issue.copy_to:
            first = _cell_par(f"抄送：{'，'.join(doc.issue.copy_to)}。", "left", fonts.SIZE["四号"])
            rows.append('<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr>'
                        f'<w:tcW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:gridSpan w:val="2"/></w:tcPr>'
                        + first.replace("<w:pPr>", "<w:pPr><w:keepNext/>", 1) + "</w:tc></w:tr>")
        half = TEXT_WIDTH_TWIPS * 3 // 5
        rows.append(f'<w:tr><w:trPr><w:cantSplit/></w:trPr><w:tc><w:tcPr><w:tcW w:w="{half}" w:type="dxa"/></w:tcPr>'
                    f'{_cell_par(office, "left", fonts.SIZE["四号"])}'
                    f'</w:tc><w:tc><w:tcPr><w:tcW w:w="{TEXT_WIDTH_TWIPS - half}" w:type="dxa"/></w:tcPr>'
                    f'{_cell_par(printed, "right", fonts.SIZE["四号"])}</w:tc></w:tr>')
        # A thin paragraph keeps the 版记 from merging with a table just before it (Word and
        # LibreOffice join adjacent tables); a full-height spacer moved it to a page of its own.
        self._par([""], indent=False, line=Pt(6))
        self._append(parse_xml(
            f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{TEXT_WIDTH_TWIPS}" w:type="dxa"/><w:tblBorders>'
            '<w:top w:val="single" w:sz="8" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:color="000000"/>'
            '<w:insideH w:val="single" w:sz="4" w:color="000000"/></w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{half}"/><w:gridCol w:w="{TEXT_WIDTH_TWIPS - half}"/></w:tblGrid>{"".join(rows)}</w:tbl>'))
        # A table may not end a body: Word needs a final paragraph before the section properties.
        self._par([""], indent=False, line=Pt(2))


def _cell_par(text: str, align: str, size: float, bold_face: fonts.FontRole | None = None) -> str:
    role = bold_face or fonts.FANGSONG
    return (f'<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="{round(size * 1.3 * 20)}" w:lineRule="exact"/>'
            f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{_JC[align]}"/></w:pPr>'
            f'<w:r><w:rPr>{rfonts_xml(role)}<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/></w:rPr>'
            + '<w:br/>'.join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in str(text).split("\n"))
            + '</w:r></w:p>')


def _row(cells, widths, aligns, size, *, header=False, shade=False) -> str:
    trpr = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    fill = '<w:shd w:val="clear" w:color="auto" w:fill="ECECEC"/>' if header else (
        '<w:shd w:val="clear" w:color="auto" w:fill="F3F3F3"/>' if shade else "")
    face = fonts.HEITI if header else None
    tcs = "".join(f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{fill}<w:vAlign w:val="center"/></w:tcPr>'
                  f"{_cell_par(text, align, size, face)}</w:tc>" for text, w, align in zip(cells, widths, aligns))
    return f"<w:tr>{trpr}{tcs}</w:tr>"


def _page_setup(d) -> None:
    s = d.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    s.footer_distance = Mm(22)
    d.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((s.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                (s.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
        p = footer.paragraphs[0]
        p.alignment = align
        setattr(p.paragraph_format, f"{side}_indent", Pt(fonts.SIZE["四号"]))
        p.paragraph_format.first_line_indent = Pt(0)
        for kind, text in (("text", "— "), ("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"),
                           ("end", ""), ("text", " —")):
            run = p.add_run(text if kind == "text" else None)
            set_font(run._r, fonts.SONGTI, fonts.SIZE["四号"])
            if kind == "instr":
                run._r.append(parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve">{text}</w:instrText>'))
            elif kind != "text":
                run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="{kind}"/>'))


def _styles(d) -> None:
    normal = d.styles["Normal"]
    set_font(normal.element, fonts.FANGSONG, BODY_PT)
    fmt = normal.paragraph_format
    fmt.line_spacing, fmt.space_before, fmt.space_after = Pt(LINE_PT), Pt(0), Pt(0)
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Pt(BODY_PT * 2)
    fmt.widow_control = True


def _font_table(d) -> None:
    """Give each official face an altName (e.g. 仿宋_GB2312 → 仿宋) and the GB2312 charset in fontTable.xml."""
    part = next((r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable")), None)
    if part is None:
        return
    root = parse_xml(part.blob)
    for role in fonts.ROLES.values():
        root.append(parse_xml(f'<w:font {nsdecls("w")} w:name="{role.docx_name}"><w:altName w:val="{role.alt_name}"/>'
                              '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>'))
    from lxml import etree
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
