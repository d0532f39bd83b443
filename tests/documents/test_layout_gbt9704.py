"""GB/T 9704-2012 measurements, taken from the rendered PDF with pdfplumber (positions, not bytes).

The 版心 (text block) is 156 × 225 mm, 37 mm from the top and 28 mm from the left edge of the page
(4.2.1), so its right edge is 184 mm and its bottom edge 262 mm from the page's top-left corner.

How each thing is measured:
- 发文机关标志 (7.2.4) and the page number's 一字线 (7.5): by their ink. pdfplumber rasterises a crop
  around the glyphs' boxes (pypdfium2) and the test takes the rows holding red (masthead) or dark
  (dash) pixels: the masthead's top is its first red row; the 一字线's position is the middle of the
  dash's stroke (about 0.17 mm thick in AR PL UMing). The glyph boxes pdfplumber reports are em boxes,
  which sit a font-dependent distance off the ink.
- Lines of body text (4.2.3): pdfplumber's character boxes (origin + advance), grouped by baseline.
- 版记's rules (7.4.1): the stroke width of the lines pdfplumber finds under the 版记.
"""

import numpy as np
import pypdfium2
import pdfplumber
import pytest

from inspection.documents import county_document
from tests.documents.conftest import plain_document

MM = 72 / 25.4                               # PDF points per millimetre
TOP, LEFT, WIDTH, HEIGHT = 37.0, 28.0, 156.0, 225.0
RIGHT, BOTTOM = LEFT + WIDTH, TOP + HEIGHT   # 184 mm, 262 mm
PITCH = HEIGHT / 22                          # 22 lines a page (4.2.3): 10.227 mm
SIZE_3, SIZE_4 = 16.0, 14.0                  # 3号 body, 4号 page number (pt)
NO_START = set("，。、；：？！）》〉」』】〕”’…—·%")    # may not begin a line
NO_END = set("（《〈「『【〔“‘")                         # may not end a line
TOLERANCE = 0.5                              # mm; GB/T 9704 5.1 allows 1 mm for the 版心 as printed


@pytest.fixture(scope="module")
def notice_pdf(case, issue, renderers, tmp_path_factory):
    return renderers.write(county_document(case, issue, "rectification"), "pdf",
                           tmp_path_factory.mktemp("notice") / "notice.pdf")


@pytest.fixture(scope="module")
def report_pdf(prefecture_doc, renderers, tmp_path_factory):
    assert prefecture_doc.upward                # a 上行文
    return renderers.write(prefecture_doc, "pdf", tmp_path_factory.mktemp("report") / "report.pdf")


@pytest.fixture(scope="module")
def plain_pdf(renderers, tmp_path_factory):
    """Body text only, over several pages; its short masthead is set larger (44 pt, the letter's 25.3 pt)."""
    return renderers.write(plain_document(60), "pdf", tmp_path_factory.mktemp("plain") / "plain.pdf")


@pytest.fixture(params=["letter", "notice", "report", "plain"])
def any_pdf(request):
    return request.getfixturevalue(f"{request.param}_pdf")


def ink_rows(page, box, is_ink, resolution=1200):
    """(top, bottom) in mm from the page's top of the pixel rows where `is_ink(rgb array)` holds,
    in the crop `box` (x0, top, x1, bottom in points); None when there is no ink."""
    x0, top, x1, bottom = box
    box = (max(x0, 0), max(top, 0), min(x1, page.width), min(bottom, page.height))
    rgb = _rendered(page, box, resolution)
    rows = np.flatnonzero(is_ink(rgb).any(axis=1))
    if not rows.size:
        return None
    per_row = (box[3] - box[1]) / MM / rgb.shape[0]
    return box[1] / MM + rows[0] * per_row, box[1] / MM + (rows[-1] + 1) * per_row


def _rendered(page, box, resolution):
    """The pixels of `box` alone: pdfplumber's `crop(…).to_image` draws the whole page first, 1.5 s a
    page at 1200 dpi; pdfium draws just the box (its crop is the margins cut from each edge)."""
    x0, top, x1, bottom = box
    document = pypdfium2.PdfDocument(page.pdf.stream.name if hasattr(page.pdf.stream, "name") else page.pdf.stream)
    try:
        pdf_page = document[page.page_number - 1]
        width, height = pdf_page.get_size()
        bitmap = pdf_page.render(scale=resolution / 72, crop=(x0, height - bottom, width - x1, top),
                                 no_smoothtext=True, no_smoothpath=True, no_smoothimage=True)
        return np.asarray(bitmap.to_pil().convert("RGB")).astype(int)
    finally:
        document.close()


def red(rgb):
    return (rgb[..., 0] > 150) & (rgb[..., 1] < 110) & (rgb[..., 2] < 110)


def dark(rgb):
    return rgb.max(axis=-1) < 128


def is_red(char) -> bool:
    color = char["non_stroking_color"] or (0,)
    return len(color) == 3 and color[0] > 0.8 and color[1] < 0.2


def baseline(char) -> float:
    return char["matrix"][5]


def body_lines(page):
    """Lines of 3号 black text inside the 版心, top to bottom: (baseline, chars left to right)."""
    lines: dict[float, list] = {}
    for c in page.chars:
        if abs(c["size"] - SIZE_3) < 0.05 and not is_red(c) and TOP * MM <= c["top"] and c["bottom"] <= BOTTOM * MM:
            lines.setdefault(round(baseline(c), 1), []).append(c)
    out = []
    for _, cs in sorted(lines.items(), reverse=True):
        cs = sorted(cs, key=lambda c: c["x0"])
        while cs and not cs[-1]["text"].strip():          # spaces count inside a line, not at its ends
            cs.pop()
        while cs and not cs[0]["text"].strip():
            cs.pop(0)
        if cs:
            out.append((baseline(cs[0]), cs))
    return out


def full_lines(page):
    """The body lines that a paragraph continues after: the next line is one pitch lower and starts
    at the 版心's left edge (not indented: a new paragraph or heading starts two characters in)."""
    lines = body_lines(page)
    return [(this, below) for this, below in zip(lines, lines[1:])
            if abs((this[0] - below[0]) / MM - PITCH) < 0.1 and abs(below[1][0]["x0"] / MM - LEFT) < 0.3]


def page_number(page):
    """The characters of the page number ("— 7 —"), in the bottom white space."""
    return sorted((c for c in page.chars if c["top"] > BOTTOM * MM), key=lambda c: c["x0"])


def test_masthead_top_is_35mm_below_the_text_block(any_pdf):
    """35 mm for the 上行文 (the report) too: GB/T 9704-2012 makes no exception for it (the 80 mm for
    上报的公文 was GB/T 9704-1999's)."""
    with pdfplumber.open(any_pdf) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if is_red(c)]
        assert chars, "no red masthead"
        box = (min(c["x0"] for c in chars) - 2 * MM, min(c["top"] for c in chars) - 5 * MM,
               max(c["x1"] for c in chars) + 2 * MM, max(c["bottom"] for c in chars))
        top, _ = ink_rows(page, box, red, resolution=600)
    assert abs(top - TOP - 35) <= TOLERANCE, \
        f"GB/T 9704 7.2.4: 发文机关标志上边缘至版心上边缘为35mm; measured {top - TOP:.2f} mm"


def cells(chars) -> float:
    """How many characters of the grid (156/28 mm each) a line takes: its indent, then each character's
    advance in ems less the grid's letter-spacing (1 for a Chinese character, ½ for a digit in 仿宋;
    a little more for a Latin letter in 楷体)."""
    grid = WIDTH / 28 * MM                             # pt
    indent = round((chars[0]["x0"] / MM - LEFT) / (WIDTH / 28))
    return indent + sum((c["x1"] - c["x0"]) + grid - c["size"] for c in chars) / grid


def first_piece(chars) -> list:
    """The characters a line begins with that no line break may separate (a rough cut of UAX #14 as
    Pango applies it): a run of half-width characters, a character with the marks that may not
    begin a line after it, an opening mark with what follows it."""
    piece = chars[:1]
    for c in chars[1:]:
        last = piece[-1]["text"]
        if not (c["text"] in NO_START or last in NO_END or (last.isascii() and c["text"].isascii())):
            break
        piece.append(c)
    return piece


def test_full_body_lines_hold_28_characters_and_end_at_the_right_edge(any_pdf):
    """A line a paragraph goes on after ends at the 版心's right edge, and holds 28 characters of the
    grid unless what begins the next line could not be broken to fit (禁则: a character with the
    closing mark after it (，。）), an opening mark (（《〔) with what follows it, digits): such a line,
    27 or 27½ characters, is justified between its characters to the edge."""
    checked, wrong = 0, []
    with pdfplumber.open(any_pdf) as pdf:
        for no, page in enumerate(pdf.pages, 1):
            for (_, chars), (_, below) in full_lines(page):
                checked += 1
                n, end, piece = cells(chars), chars[-1]["x1"] / MM, first_piece(below)
                fits = n + cells(piece) <= 28.01     # the next line begins at the left edge: no indent
                if abs(end - RIGHT) > TOLERANCE or n > 28.01 or (n < 27.99 and fits):
                    wrong.append((no, round(n, 2), round(end, 2), "".join(c["text"] for c in chars) + "|"
                                  + "".join(c["text"] for c in piece)))
    assert checked >= 10, checked
    assert not wrong, (f"GB/T 9704 4.2.3: 每行排28个字，并撑满版心 (a full line ends at {RIGHT} mm); "
                       f"{len(wrong)} of {checked} lines do not: {wrong[:6]}")


def test_22_lines_a_page_at_a_pitch_of_a_22nd_of_the_text_block(plain_pdf):
    with pdfplumber.open(plain_pdf) as pdf:
        pages = [body_lines(p) for p in pdf.pages]
    # a page is full when body text goes on over the page: the next page begins with a paragraph's
    # text (【正…】 or a line at the left edge), not the signature
    full = [k for k in range(1, len(pages) - 1) if pages[k + 1] and (
        pages[k + 1][0][1][0]["text"] == "【" or abs(pages[k + 1][0][1][0]["x0"] / MM - LEFT) < 0.3)]
    assert len(full) >= 3, [len(lines) for lines in pages]
    for k in full:
        lines = pages[k]
        pitches = [(a - b) / MM for (a, _), (b, _) in zip(lines, lines[1:])]
        assert len(lines) == 22 and all(abs(p - PITCH) < 0.02 for p in pitches), \
            (f"GB/T 9704 4.2.3: 一般每面排22行; page {k + 1}: {len(lines)} lines, "
             f"pitches {sorted(set(round(p, 3) for p in pitches))} mm")


def test_page_number_dash_is_7mm_below_the_text_block_one_character_in(any_pdf):
    em = SIZE_4 / MM                              # 空一字: one 4号 character
    with pdfplumber.open(any_pdf) as pdf:
        numbered = [(no, page, page_number(page)) for no, page in enumerate(pdf.pages, 1)]
        numbered = [(no, page, chars) for no, page, chars in numbered if chars]
        assert numbered and numbered[0][0] == 1
        for no, page, chars in numbered:
            text = "".join(c["text"] for c in chars).replace(" ", "")
            assert text == f"—{no}—", (no, text)
            dashes = [c for c in chars if c["text"] == "—"]
            for dash in dashes:
                ink = ink_rows(page, (dash["x0"], dash["top"], dash["x1"], dash["bottom"]), dark)
                middle = (ink[0] + ink[1]) / 2
                assert abs(middle - BOTTOM - 7) <= TOLERANCE, \
                    f"GB/T 9704 7.5: 一字线上距版心下边缘7mm; page {no}: {middle - BOTTOM:.2f} mm"
            if no % 2:
                edge = RIGHT - chars[-1]["x1"] / MM
            else:
                edge = chars[0]["x0"] / MM - LEFT
            assert abs(edge - em) <= TOLERANCE, \
                f"GB/T 9704 7.5: 单页码居右空一字，双页码居左空一字; page {no}: {edge:.2f} mm in, not {em:.2f}"


def test_colophon_rules_are_thick_outside_and_thin_between(any_pdf):
    with pdfplumber.open(any_pdf) as pdf:
        page = pdf.pages[-1]
        words = page.extract_words()
        colophon = min(w["top"] for w in words if w["text"].startswith("抄送") or "印发" in w["text"])
        rules: dict[float, list] = {}
        for line in page.lines:                 # each rule is drawn in one segment per cell
            if line["top"] == line["bottom"] and line["top"] > colophon - 3 * MM:
                rules.setdefault(round(line["top"], 1), []).append(line)
    widths = [round(max(seg["linewidth"] for seg in segs) / MM, 3) for _, segs in sorted(rules.items())]
    spans = [(min(s["x0"] for s in segs) / MM, max(s["x1"] for s in segs) / MM) for segs in rules.values()]
    assert len(widths) == 3 and all(abs(a - LEFT) < 0.3 and abs(b - RIGHT) < 0.3 for a, b in spans), (widths, spans)
    first, middle, last = widths
    assert abs(first - 0.35) < 0.03 and abs(last - 0.35) < 0.03 and abs(middle - 0.25) < 0.03, \
        f"GB/T 9704 7.4.1: 首条和末条分隔线推荐0.35mm，中间的分隔线0.25mm; measured {widths} mm"
    y, segs = max(rules.items())
    assert abs((y + segs[0]["linewidth"] / 2) / MM - BOTTOM) <= TOLERANCE, \
        "GB/T 9704 7.4.1: 末条分隔线与公文最后一页的版心下边缘重合"
