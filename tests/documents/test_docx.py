"""The DOCX: same text and tables as the model, East Asian fonts declared, GB/T 9704 page, PAGE field."""

import zipfile

import docx
from lxml import etree

from inspection.documents.model import Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_docx_text_and_tables_match_the_model(letter_docx, letter_doc, letter):
    d = docx.Document(str(letter_docx))
    text = "\n".join(p.text for p in d.paragraphs)
    for needle in ["喀什地区人民政府教育督导委员会文件", "喀教督〔2026〕7号", "泽普县人民政府：", "一、总体结论",
                   "七、整改要求", "存在不予认定情形，不予认定", "2026年11月29日", "附件1", "附件2"]:
        assert needle in text, needle
    model_tables = [b for b in letter_doc.blocks() if isinstance(b, Table)]
    doc_tables = d.tables[:-1]                       # the last one is the 版记 (colophon)
    assert len(doc_tables) == len(model_tables)
    for model, table in zip(model_tables, doc_tables):
        cells = [[c.text.replace("\u200b", "") for c in row.cells] for row in table.rows]   # as shown
        assert cells[0] == [c.label for c in model.columns]
        assert [tuple(r) for r in cells[1:]] == list(model.rows)
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
    gap_names = {row[0] for row in model_tables[-2].rows}
    assert gap_names == {s.school for s in letter.gaps}


def _styles(path) -> dict[str, object]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/styles.xml"))
    return {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}


def _paragraphs(d):
    """Every paragraph of the body, its tables and the footers."""
    yield from d.element.body.iter(f"{W}p")
    for footer in (d.sections[0].footer, d.sections[0].even_page_footer):
        yield from footer._element.iter(f"{W}p")


def test_every_paragraph_is_in_a_named_style_with_no_direct_font(letter_docx):
    d = docx.Document(str(letter_docx))
    styles = _styles(letter_docx)
    used = set()
    for p in _paragraphs(d):
        style = p.find(f"{W}pPr/{W}pStyle")
        assert style is not None, "".join(p.itertext())[:30]
        used.add(style.get(f"{W}val"))
        for run in p.iter(f"{W}r"):
            rpr = run.find(f"{W}rPr")
            assert rpr is None or [c.tag for c in rpr] == [f"{W}rStyle"], "".join(run.itertext())
    assert used <= set(styles)
    for style_id in used:                           # each style names its East Asian face and its size
        rpr = styles[style_id].find(f"{W}rPr")
        assert rpr.find(f"{W}rFonts").get(f"{W}eastAsia") and rpr.find(f"{W}sz") is not None, style_id


def test_the_styles_are_the_parts_of_an_official_document(letter_docx):
    styles = {s.find(f"{W}name").get(f"{W}val"): s for s in _styles(letter_docx).values()}
    face = lambda name: styles[name].find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia")
    assert face("公文正文") == "仿宋_GB2312" and face("主送机关") == "仿宋_GB2312"
    assert face("公文标题") == face("附件标题") == "方正小标宋简体"
    assert face("一级标题") == "黑体" and face("二级标题") == "楷体_GB2312"
    assert styles["发文机关标志"].find(f"{W}rPr/{W}color").get(f"{W}val") == "E60012"
    for name in ("附件说明", "发文机关署名", "成文日期", "版记", "表格文字", "表头", "页码"):
        assert name in styles, name
    # headings show in Word's navigation pane; body text is condensed to 28 characters a line
    assert styles["一级标题"].find(f"{W}pPr/{W}outlineLvl").get(f"{W}val") == "0"
    assert styles["公文正文"].find(f"{W}rPr/{W}spacing").get(f"{W}val") == "-5"
    assert 28 * (16 - 0.25) <= 156 / 25.4 * 72 < 29 * (16 - 0.25)


def test_the_font_table_gives_each_official_face_an_alternate(letter_docx):
    with zipfile.ZipFile(letter_docx) as z:
        font_table = z.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in font_table and '<w:altName w:val="仿宋"/>' in font_table


def test_docx_page_is_gbt9704_with_page_numbers(letter_docx):
    d = docx.Document(str(letter_docx))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    assert d.settings.odd_and_even_pages_header_footer
    for footer in (s.footer, s.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and "— " in footer.paragraphs[0].text
    grid = s._sectPr.find(f"{W}docGrid")             # 22 lines a page: 225 mm of 版心 / 28.95 pt
    assert grid.get(f"{W}type") == "lines" and 225 / 25.4 * 1440 // int(grid.get(f"{W}linePitch")) == 22
    masthead = d.paragraphs[0]
    assert masthead.style.name == "发文机关标志" and masthead.text == "喀什地区人民政府教育督导委员会文件"


def test_the_colophon_floats_to_the_foot_of_the_last_page(letter_docx):
    colophon = docx.Document(str(letter_docx)).tables[-1]._tbl
    position = colophon.find(f"{W}tblPr/{W}tblpPr")
    assert (position.get(f"{W}vertAnchor"), position.get(f"{W}tblpYSpec")) == ("margin", "bottom")
    borders = {b.tag.split("}")[1]: b.get(f"{W}sz") for b in colophon.find(f"{W}tblPr/{W}tblBorders")}
    assert borders == {"top": "8", "bottom": "8", "insideH": "6"}       # 0.35 / 0.25 mm
