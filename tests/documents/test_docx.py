"""The DOCX: same text and tables as the model, East Asian fonts declared, GB/T 9704 page, PAGE field."""

import zipfile

import docx

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
        cells = [[c.text for c in row.cells] for row in table.rows]
        assert cells[0] == [c.label for c in model.columns]
        assert [tuple(r) for r in cells[1:]] == list(model.rows)
        header = table.rows[0]._tr
        assert header.find(f"{W}trPr/{W}tblHeader") is not None
    gap_names = {row[0] for row in model_tables[-2].rows}
    assert gap_names == {s.school for s in letter.gaps}


def test_docx_declares_east_asian_faces(letter_docx):
    with zipfile.ZipFile(letter_docx) as z:
        styles = z.read("word/styles.xml").decode()
        body = z.read("word/document.xml").decode()
        font_table = z.read("word/fontTable.xml").decode()
    assert 'w:eastAsia="仿宋_GB2312"' in styles
    for face in ("仿宋_GB2312", "方正小标宋简体", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{face}"' in body, face
    assert 'w:name="仿宋_GB2312"' in font_table and '<w:altName w:val="仿宋"/>' in font_table
    d = docx.Document(str(letter_docx))
    for p in d.paragraphs:
        for r in p.runs:
            if r.text.strip():
                fonts = r._r.find(f"{W}rPr/{W}rFonts")
                assert fonts is not None and fonts.get(f"{W}eastAsia"), r.text


def test_docx_page_is_gbt9704_with_page_numbers(letter_docx):
    d = docx.Document(str(letter_docx))
    s = d.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)] == [37, 35, 28, 26]
    assert d.settings.odd_and_even_pages_header_footer
    for footer in (s.footer, s.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and 'w:fldCharType="begin"' in xml and "— " in footer.paragraphs[0].text
    red = [r for p in d.paragraphs for r in p.runs if r.font.color and r.font.color.rgb is not None]
    assert red and red[0].text == "喀什地区人民政府教育督导委员会文件"
