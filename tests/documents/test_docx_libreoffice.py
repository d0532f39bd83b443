"""The DOCX as an office opens it: converted by LibreOffice, then measured like the PDF.

LibreOffice resolves the official faces (仿宋_GB2312 …) through fontconfig, to which the set-up adds
the aliases of scripts/fontconfig; without them every Chinese character came out in the sans fallback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from inspection.documents import fonts

CONF = Path(__file__).resolve().parents[2] / "scripts" / "fontconfig" / "65-junheng-official-faces.conf"
MM = 25.4 / 72


def libreoffice_pdf(docx: Path, out: Path) -> Path:
    """Convert with a profile of its own (parallel test workers would share and lock the default one)."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is installed by scripts/system-deps.sh"
    subprocess.run([soffice, f"-env:UserInstallation=file://{out}/profile", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx)], check=True, capture_output=True, timeout=180)
    return out / f"{docx.stem}.pdf"


@pytest.fixture(scope="module")
def converted(letter_docx, tmp_path_factory):
    return libreoffice_pdf(letter_docx, tmp_path_factory.mktemp("libreoffice"))


def _lines(page, size: float):
    """Text lines of characters of one size (by baseline: Latin and CJK faces differ in height), as lists
    of chars sorted left to right."""
    rows: dict[int, list] = {}
    for c in page.chars:
        if abs(c["size"] - size) < 0.3:
            rows.setdefault(round(c["matrix"][5]), []).append(c)
    return [sorted(rows[t], key=lambda c: c["x0"]) for t in sorted(rows)]


def _ems(chars) -> float:
    return sum(0.5 if ord(c["text"]) < 0x2E80 else 1.0 for c in chars)


def _text_pages(pdf) -> int:
    """Pages up to the last one with text besides the 版记 and the 页码. The PDF moves a 版记 that
    does not fit under the text to the next even page (7.4), after a blank one; the DOCX cannot (an
    office lays it out), so a 版记 a few millimetres too tall costs the PDF two pages the DOCX has not."""
    def text(page):
        return [line for line in (page.extract_text() or "").splitlines()
                if not re.fullmatch(r"— \d+ —", line.strip()) and not line.startswith("抄送") and "印发" not in line]
    return max((k for k, page in enumerate(pdf.pages, 1) if text(page)), default=0)


def test_same_pages_as_the_pdf_and_every_face_resolved(converted, letter_pdf):
    with pdfplumber.open(letter_pdf) as ours, pdfplumber.open(converted) as office:
        pages = _text_pages(ours), _text_pages(office)
        assert abs(pages[1] - pages[0]) <= 1, pages
        faces: dict[str, set] = {}
        for page in office.pages:
            for c in page.chars:
                if ord(c["text"]) >= 0x4E00:
                    faces.setdefault(c["fontname"].split("+")[-1], set()).add(c["text"])
    assert not [f for f in faces if "NotoSans" in f], "a sans fallback set Chinese text"
    assert set(faces) <= {"UMingCN", "UKaiCN", "WenQuanYiZenHei"} | {f for f in faces if f.startswith("NotoSerifCJK")}
    for char in "督导评估":
        assert char in faces["UMingCN"]                 # body text in a 宋/仿宋 face (AR PL UMing)
    assert "总" in faces["WenQuanYiZenHei"]              # 一、总体结论 in 黑体
    assert "未" in faces["UKaiCN"]                       # （一）未达标学校 in 楷体


def test_the_masthead_and_the_body_grid_as_laid_out_by_libreoffice(converted):
    with pdfplumber.open(converted) as pdf:
        first = pdf.pages[0]
        masthead = [c for c in first.chars if c["text"] == "喀"][0]
        assert abs((masthead["top"] * MM - 37) - 36.4) < 1.0     # where the PDF's masthead is, 35 mm + its ink
        body = [line for page in pdf.pages[:8] for line in _lines(page, fonts.SIZE["三号"])]
    body = [line for line in body if line[0]["x0"] * MM < 40 and len(line) > 3]
    assert len(body) > 60
    for line in body:
        # 28 characters a line at most (half-width digits count half), inside the 版心; LibreOffice
        # hangs a closing punctuation mark past the edge, as Word does by default
        assert _ems(line) <= 28.5, "".join(c["text"] for c in line)
        if not re.match(r"[，。；、：）」”》]", line[-1]["text"]):
            assert line[-1]["x1"] * MM <= 184.3, "".join(c["text"] for c in line)
    # a line of Chinese alone holds exactly 28 characters, unless it ends its paragraph
    chinese = [line for line in body if all(ord(c["text"]) >= 0x2E80 for c in line)]
    assert sum(len(line) == 28 for line in chinese) >= 2
    assert all(len(line) <= 28 for line in chinese)


def test_the_font_aliases_name_each_official_face_for_its_free_face():
    aliases = dict(re.findall(r"<family>([^<]+)</family><accept><family>([^<]+)</family>", CONF.read_text()))
    for role in fonts.ROLES.values():
        for name in role.official:
            assert aliases.get(name) == role.free[0], (role.role, name)


def test_the_colophon_stands_at_the_foot_of_the_last_page(converted):
    """版记 (7.4): its last rule on the 版心's bottom edge (37 + 225 mm), and no other text in it or
    below it (LibreOffice used to lay it in the flow, just after the text)."""
    with pdfplumber.open(converted) as office:
        page = office.pages[-1]
        rules = sorted(r["top"] * MM for r in page.lines + page.rects if r["width"] > 400)   # as wide as the 版心
        words = page.extract_words()
    [copy_to] = [w for w in words if w["text"].startswith("抄送")]
    top = max(r for r in rules if r < copy_to["top"] * MM)   # the 版记's first rule
    assert abs(rules[-1] - 262) <= 1, rules
    inside = [w["text"] for w in words if top <= w["top"] * MM <= rules[-1]]
    assert inside[0].startswith("抄送") and "印发" in "".join(inside), inside
    others = [w for w in words if not top <= w["top"] * MM <= rules[-1] and w["top"] * MM < 262]   # not the 页码
    assert all(w["bottom"] * MM < top for w in others)


def test_a_list_of_indicator_codes_wraps_between_codes(tmp_path):
    """"G1、G2、…" in a narrow cell: LibreOffice broke inside a code ("G" / "1、G2") and opened lines
    with "、" until the DOCX marked the break after each "、"."""
    from inspection.documents import Issue, OfficialDocument, Table
    from inspection.documents.docx import DocxRenderer
    from inspection.documents.letter_layout import cols
    from inspection.documents.model import DocNumber
    from tests.documents.conftest import ISSUED
    codes = ["G1", "G2", "G3", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G11b", "G12", "G13", "G14", "G15"]
    item = f"政府保障程度：{'、'.join(codes)}共{len(codes)}项指标待核实"
    table = Table("", cols(("序号", 0.6, "center"), ("整改事项", 4.3, "left"), ("整改要求", 3.5, "left"),
                           ("完成时限", 2.6, "center")), (("1", item, "补充报送数据及佐证材料", "2026年12月29日"),),
                  size="small")
    doc = OfficialDocument("letter", Issue("测试督导委员会", DocNumber("测督", 2026, 3), ISSUED), "换行测试",
                           "测试县人民政府：", (table,))
    docx = tmp_path / "codes.docx"
    docx.write_bytes(DocxRenderer().render(doc))
    with pdfplumber.open(libreoffice_pdf(docx, tmp_path)) as pdf:
        lines = [line.strip() for page in pdf.pages for line in (page.extract_text() or "").splitlines()]
    cell = [line for line in lines if re.search(r"G\d|^G$|^、", line)]
    assert len(cell) >= 2, lines                                      # the list does wrap
    assert not [line for line in cell if line.startswith("、") or re.match(r"^\d", line) or line.endswith("G")], cell
    words = re.findall(r"G\d+b?", "".join(cell).replace("\u200b", ""))
    assert words == codes, cell


def test_a_two_hundred_school_letter_runs_as_long_in_libreoffice_as_its_pdf(standard, schedule, renderers, tmp_path):
    """莎车县's 附件1 (202 schools, ~1,250 figures) is mostly digits in narrow cells: set in DejaVu
    Serif (what fontconfig gives for Times New Roman without fonts-liberation2) "+29.35" wrapped onto a
    third line and LibreOffice ran 3 pages past the PDF. Liberation Serif has Times New Roman's widths."""
    from inspection.documents import build_letter, issue_for, letter_document
    from tests.documents.conftest import ISSUED, demo_case
    doc = letter_document(build_letter(demo_case(standard, schedule, "莎车县"),
                                       issue_for(schedule, serial=7, issued=ISSUED)))
    ours = renderers.write(doc, "pdf", tmp_path / "shache.pdf")
    office = libreoffice_pdf(renderers.write(doc, "docx", tmp_path / "shache.docx"), tmp_path)
    with pdfplumber.open(ours) as pdf, pdfplumber.open(office) as lo:
        pages = _text_pages(pdf), _text_pages(lo)
        assert pages[0] >= 20 and abs(pages[1] - pages[0]) <= 1, pages
        digits = {c["fontname"].split("+")[-1] for page in lo.pages for c in page.chars if c["text"].isdigit()}
    assert digits == {"LiberationSerif"}, digits
