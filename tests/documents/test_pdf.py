"""The PDF: text, fonts embedded and subset, A4, page numbers, repeated table headers, not blank."""

import subprocess

import pdfplumber
import pytest
from PIL import Image

from inspection.documents import Column, Issue, OfficialDocument, Paragraph, Table
from inspection.documents.model import DocNumber
from inspection.documents.pdf import PdfRenderer, template_names
from tests.documents.conftest import ISSUED, pdf_fonts, pdf_text


def test_letter_pdf_says_what_the_letter_says(letter_pdf, letter):
    text = pdf_text(letter_pdf).replace(" ", "")
    for needle in ["喀什地区人民政府教育督导委员会文件", "喀教督〔2026〕7号", "泽普县人民政府：", "一、总体结论",
                   "七、整改要求", "存在不予认定情形，不予认定", "2026年11月29日", "附件：1．", "抄送："]:
        assert needle in text, needle
    with pdfplumber.open(letter_pdf) as pdf:        # names wrap inside their cells: read the tables
        cells = {(c or "").replace("\n", "") for page in pdf.pages for t in page.extract_tables() for row in t
                 for c in row}
    assert letter.failing and {s.school for s in letter.failing} <= cells
    assert "—1—" in text and "—2—" in text


def test_pdf_is_a4_and_fonts_are_cjk_embedded_and_subset(letter_pdf):
    with pdfplumber.open(letter_pdf) as pdf:
        assert len(pdf.pages) >= 5
        assert {(round(p.width), round(p.height)) for p in pdf.pages} == {(595, 842)}
    fonts = pdf_fonts(letter_pdf)
    names = " ".join(f["name"] for f in fonts)
    assert all(f["emb"] == "yes" and f["sub"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    for face in ("AR-PL-UMing-CN", "WenQuanYi-Zen-Hei", "AR-PL-UKai-CN", "Noto-Serif-CJK-SC-Bold"):
        assert face in names, names


def test_masthead_is_red_and_first_page_is_not_blank(letter_pdf, tmp_path):
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(letter_pdf), str(tmp_path / "p")],
                   check=True)
    image = Image.open(next(tmp_path.glob("p-*.png"))).convert("RGB")
    w, h = image.size
    assert sum(image.convert("L").histogram()[:200]) > 0.01 * w * h         # ink on the page
    r, g, b = (band.load() for band in image.crop((0, 0, w, h // 4)).split())
    red = sum(1 for x in range(w) for y in range(h // 4) if r[x, y] > 180 and g[x, y] < 80 and b[x, y] < 80)
    assert red > 100                                                          # the red masthead


@pytest.fixture(scope="module")
def long_table_pdf(renderers, tmp_path_factory, schedule):
    rows = tuple((f"第{k}小学", "小学", str(100 + k)) for k in range(1, 121))
    doc = OfficialDocument("letter", Issue("测试督导委员会", DocNumber("测督", 2026, 1), ISSUED), "长表测试", "测试：",
                           (Paragraph("正文。"), Table("表1  长表", (Column("学校", 3), Column("学段"), Column("学生数")), rows)))
    return renderers.write(doc, "pdf", tmp_path_factory.mktemp("long") / "long.pdf")


def test_table_header_repeats_on_every_page_it_spans(long_table_pdf):
    with pdfplumber.open(long_table_pdf) as pdf:
        pages = [p.extract_text() for p in pdf.pages]
    pages = [t for t in pages if "印发" not in t or "小学" in t]      # not a 版记 page of its own
    assert len(pages) >= 3
    assert all("学校 学段 学生数" in t for t in pages), [t[:40] for t in pages]
    assert "第120小学" in pages[-1]


def test_templates_resolve_by_county_then_kind(tmp_path, letter_doc):
    import shutil

    from inspection.documents.pdf import TEMPLATES_DIR
    assert template_names(letter_doc) == ["letter-泽普县.html", "letter.html", "document.html"]
    shutil.copytree(TEMPLATES_DIR, tmp_path / "t")
    (tmp_path / "t" / "letter-泽普县.html").write_text(
        '{% extends "document.html" %}{% block colophon %}<p>泽普县专用版记</p>{% endblock %}', encoding="utf-8")
    renderer = PdfRenderer(tmp_path / "t")
    assert "泽普县专用版记" in renderer.html(letter_doc)


def test_url_fetcher_refuses_remote_and_foreign_files():
    fetcher = PdfRenderer().fetcher
    for url in ("http://example.com/a.png", "https://example.com/a.css", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher(url)
