"""What runs inside the OCR sandbox: scanned pages → ruled tables, one cell recognised at a time.

For each image-only page (扫描页): rendered at `DPI`; the red seal (公章) removed by colour (the red
channel: red ink is bright in it, black print stays dark); speckle removed (median filter); the tilt
found from the ink's row profile and undone; the table grid found from its ruling lines (OpenCV
morphology: long thin horizontal and vertical runs); merged cells found where a ruling line between
two grid cells is missing; and every cell's ink cropped (the ruling lines erased) and recognised on
its own by Tesseract 5 — as words (`chi_sim`) and as a figure (`eng`, `Latin`), each twice, in four
`tesseract` processes a page that each read the list of the page's cell images (TSV out: words and
their confidences; see `TEXT_VIEWS`, `DIGIT_VIEWS`). Output is a grid as `pdf_extract` gives one
(`"strategy": "ocr"`, None texts under a merged cell) plus, for every position (a merged cell's
own), its box on the page (PDF points, top-left origin, the page as scanned), the confidence of its
text, and both readings with theirs (0–100: the least of a reading's two views, at most `DISAGREE`
when they differ; 100 for a blank cell, which is not recognised at all).

Self-contained like `pdf_extract`: the worker loads this file alone; results are plain dicts.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from pathlib import Path

DPI = 200                  # render resolution: county scans come at 200–300 dpi
MAX_TILT = 3.0             # degrees searched for the tilt (a scan is within ±2°)
LINE_MIN = 40              # px: the shortest run that counts as a ruling line (at DPI; ≈ 5 mm)
LINE_SHARE = 0.5           # share of a cell edge a ruling line must cover to separate two cells
MIN_CELL = 12              # px: grid lines closer than this are one line (a thick or doubled rule)
MIN_BLOB = 5               # dark pixels: a smaller speck is dust (a decimal point is ~9 at DPI)
MIN_LINE = 8               # px: an inked band lower than this is not a line of text (a stray mark)
MIN_INK = 12               # dark pixels: a cell with fewer is blank (speckle left by the filter)
INSET = 4                  # px cut from each cell edge before looking for its ink (the rule's fringe)
PAD = 8                    # white margin around a cell's ink for the recognizer
LANG = "chi_sim"
TESS_CONFIG = ["--psm", "6"]
# Figures again, read as one line of digits only: chi_sim reads "2.18" as "2538" under a seal's
# shadow, eng with a digit whitelist does not (measured: docs/ocr.md).
DIGITS_LANG = "eng"
DIGITS_CONFIG = ["--psm", "7", "-c", "tessedit_char_whitelist=0123456789.,-"]
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT = re.compile(r"[0-9]")

_CJK_SPACE = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef]) +|(?<=\S) +(?=[\u3000-\u9fff\uff00-\uffef])")


class OcrProblem(Exception):
    """The engine could not run (not installed, killed): `kind` names the error class to raise."""

    def __init__(self, kind: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.kind, self.zh, self.en = kind, zh, en


MEDIAN = 3                 # px: the speckle filter's aperture
# How each cell is seen: as words by the Chinese model, twice (as scanned, black on white; and
# enlarged 2× in grey), and as a figure twice, by the English model as scanned and by the Latin-script
# model (Debian tesseract-ocr-script-latn; the English one again if it is missing) enlarged in grey. Tesseract's reading of a thin Ming face is
# fragile (5 read as 3 at one scale and not the other): two readings that differ give a cell to be
# confirmed (measured: docs/ocr.md). Which of the two a cell is (a name or a figure) is decided by
# its column, once the header is mapped (`ocr_review.prepare_scanned`).
TEXT_VIEWS = ((1.0, True), (2.0, False))
TEXT_CONFIG = ["--psm", "13"]   # a raw line: psm 7 (a line) returns nothing for two characters (学段)
DIGIT_VIEWS = ((1.0, True, "eng"), (2.0, False, "Latin"))   # two models: their errors seldom agree


def clean(rgb):
    """Grey page with the red seal and the speckle gone: the red channel, median-filtered."""
    import cv2
    red = rgb[:, :, 0].copy()
    return cv2.medianBlur(red, MEDIAN) if MEDIAN > 1 else red


INK_LEVEL = 170           # grey below this is ink: a Ming face's thin strokes come out at 100–160 in
                           # a noisy scan (Otsu cut them, and 5 read as 3); a red seal is ~210 in red


RULE_LEVEL = 200           # grey below this may be a ruling line: a 300 dpi scan's 1 px rule, rendered
                           # at DPI, is a grey ~170 two pixels wide (a seal, ~210 in red, stays out)


def _ink(gray, level: int = INK_LEVEL):
    import cv2
    return cv2.threshold(gray, level, 255, cv2.THRESH_BINARY_INV)[1]


def _rotate(img, angle: float, border: int = 255):
    import cv2
    h, w = img.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


def tilt(ink) -> float:
    """The angle (degrees, counter-clockwise) that makes the page's rows level: the rotation under
    which the ink's row profile is sharpest (ruling lines and text lines become single rows)."""
    import cv2
    import numpy as np
    small = cv2.resize(ink, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)

    def sharpness(angle: float) -> float:
        profile = _rotate(small, angle, 0).sum(axis=1, dtype=np.float64)
        return float(np.square(np.diff(profile)).sum())

    best = max(np.arange(-MAX_TILT, MAX_TILT + 1e-9, 0.25), key=sharpness)
    return float(max(np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05), key=sharpness))


def _lines(mask, axis: int) -> list[int]:
    """Centres of the ruling lines in a line mask: runs of rows (axis 1) or columns (axis 0) whose
    line pixels exceed LINE_MIN, each run one line."""
    import numpy as np
    profile = (mask > 0).sum(axis=axis)
    on = np.flatnonzero(profile >= LINE_MIN)
    out: list[list[int]] = []
    for p in on:
        if out and p - out[-1][-1] <= MIN_CELL:
            out[-1].append(int(p))
        else:
            out.append([int(p)])
    return [int(round(sum(run) / len(run))) for run in out]


def _covered(mask, fixed: int, lo: int, hi: int, vertical: bool) -> bool:
    """Whether a ruling line runs at `fixed` (x for a vertical line, y for a horizontal one) over
    most of lo..hi."""
    band = mask[lo:hi, max(0, fixed - 3):fixed + 4] if vertical else mask[max(0, fixed - 3):fixed + 4, lo:hi]
    if band.size == 0:
        return False
    seen = (band > 0).any(axis=1 if vertical else 0)
    return seen.mean() >= LINE_SHARE


def find_grid(ink):
    """The largest ruled table on a level page: (row lines ys, column lines xs, spans, line mask).
    As in `pdf_extract`, a line is supposed under the lowest and over the highest vertical rule, so a
    row that a page boundary cut open still forms cells.

    `spans[(i, j)] = (i2, j2)` for the cell whose top-left grid position is (i, j) and bottom-right
    (i2, j2) inclusive; positions covered by a merged cell are absent. None when there is no table."""
    import cv2
    import numpy as np
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (LINE_MIN, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, LINE_MIN)))
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(rules, connectivity=8)
    if count < 2:
        return None
    k = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[k, :4])
    if w < 4 * LINE_MIN or h < 2 * LINE_MIN:
        return None
    table = labels[y:y + h, x:x + w] == k
    hmask, vmask = horizontal[y:y + h, x:x + w] * table, vertical[y:y + h, x:x + w] * table
    ys = [y + v for v in _lines(hmask, 1)]
    xs = [x + v for v in _lines(vmask, 0)]
    if ys and ys[-1] < y + h - MIN_CELL:   # a row the page's foot cut open: its rules end lower
        ys.append(y + h - 2)
    if ys and ys[0] > y + MIN_CELL:        # … and the rest of it, at the top of the next page
        ys.insert(0, y + 1)
    if len(ys) < 3 or len(xs) < 3:
        return None
    spans = _spans(horizontal, vertical, ys, xs)
    return ys, xs, spans, horizontal | vertical


def _spans(horizontal, vertical, ys: list[int], xs: list[int]) -> dict:
    """Merge grid positions not separated by a ruling line; each cell's top-left → bottom-right."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not _covered(vertical, xs[j + 1], ys[i] + INSET, ys[i + 1] - INSET, True):
                parent[find(i * cols + j + 1)] = find(i * cols + j)
            if i + 1 < rows and not _covered(horizontal, ys[i + 1], xs[j] + INSET, xs[j + 1] - INSET, False):
                parent[find((i + 1) * cols + j)] = find(i * cols + j)
    groups: dict[int, list[tuple[int, int]]] = {}
    for i in range(rows):
        for j in range(cols):
            groups.setdefault(find(i * cols + j), []).append((i, j))
    spans = {}
    for cells in groups.values():
        i0, j0 = min(c[0] for c in cells), min(c[1] for c in cells)
        spans[(i0, j0)] = (max(c[0] for c in cells), max(c[1] for c in cells))
    return spans


def _crop(page, x0: int, y0: int, x1: int, y1: int):
    """The cell's ink with a white margin, or None for a blank cell."""
    import cv2
    import numpy as np
    inner = page[y0 + INSET:y1 - INSET, x0 + INSET:x1 - INSET]
    if inner.size == 0:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats((inner < INK_LEVEL).astype(np.uint8), connectivity=8)
    keep = [k for k in range(1, count) if stats[k, cv2.CC_STAT_AREA] >= MIN_BLOB]
    if sum(int(stats[k, cv2.CC_STAT_AREA]) for k in keep) < MIN_INK:
        return None
    ink = np.isin(labels, keep)
    inner = np.where(ink, inner, 255).astype(np.uint8)          # specks and the seal's remains white
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    part = inner[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    return cv2.copyMakeBorder(part, PAD, PAD, PAD, PAD, cv2.BORDER_CONSTANT, value=255)


def one_line(part):
    """A wrapped cell's lines side by side, one line for the recognizer (a narrow column wraps 学校名称
    over two lines, and Tesseract reads a small block of them worse than one line)."""
    import numpy as np
    inked = (part < INK_LEVEL).any(axis=1)
    lines, start = [], None
    for y, on in enumerate(inked):
        if on and start is None:
            start = y
        elif not on and start is not None:
            lines.append((start, y))
            start = None
    if start is not None:
        lines.append((start, len(inked)))
    lines = [(a, b) for a, b in lines if b - a >= MIN_LINE]
    if len(lines) < 2:
        return part
    height = max(b - a for a, b in lines)
    pieces = []
    for a, b in lines:
        piece = part[a:b]
        cols = np.flatnonzero((piece < INK_LEVEL).any(axis=0))
        piece = piece[:, cols[0]:cols[-1] + 1]
        top = (height - (b - a)) // 2
        canvas = np.full((height, piece.shape[1]), 255, np.uint8)
        canvas[top:top + b - a] = piece
        pieces += [canvas, np.full((height, PAD // 2), 255, np.uint8)]
    joined = np.hstack(pieces[:-1])
    return np.pad(joined, PAD, constant_values=255)


def variant(part, upscale: float, binary: bool):
    """A cell image as one reading sees it: enlarged (cubic), and black-on-white or grey."""
    import cv2
    import numpy as np
    if upscale != 1.0:
        part = cv2.resize(part, None, fx=upscale, fy=upscale, interpolation=cv2.INTER_CUBIC)
    return np.where(part < INK_LEVEL, 0, 255).astype(np.uint8) if binary else part


_LANGS: list[str] = []


def installed(lang: str) -> str:
    """`lang` if Tesseract has its model here, else the English one (always installed with it)."""
    if not _LANGS:
        try:
            out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, check=False).stdout
        except FileNotFoundError:
            out = ""
        _LANGS.extend(line.strip() for line in out.splitlines()[1:] if line.strip())
    return lang if lang in _LANGS else DIGITS_LANG


def recognise(images: list, workdir: Path, lang: str = LANG, config: list[str] = TESS_CONFIG) -> list[tuple[str, float]]:
    """(text, confidence) for each image, from one `tesseract` run over a list of image files."""
    import cv2
    if not images:
        return []
    workdir.mkdir(parents=True, exist_ok=True)
    names = []
    for n, img in enumerate(images):
        name = workdir / f"c{n:05d}.png"
        cv2.imwrite(str(name), img)
        names.append(str(name))
    listing = workdir / "cells.txt"
    listing.write_text("\n".join(names) + "\n", encoding="utf-8")
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}   # one thread: the machine is shared
    try:
        proc = subprocess.run(["tesseract", str(listing), "stdout", "-l", lang, *config, "tsv"],
                              capture_output=True, env=env, check=False)
    except FileNotFoundError:
        raise OcrProblem("ScannedDocumentError", "本机未安装文字识别引擎（tesseract），无法读取扫描件",
                         "the OCR engine (tesseract) is not installed here; scans cannot be read") from None
    if proc.returncode != 0:
        raise OcrProblem("UnsafeFileError", f"文字识别进程异常退出（代码 {proc.returncode}），可能超出内存或时间上限",
                         f"the OCR engine failed (exit code {proc.returncode}): "
                         f"{proc.stderr.decode('utf-8', 'replace')[-200:]}")
    return _parse_tsv(proc.stdout.decode("utf-8", "replace"), len(images))


def _parse_tsv(tsv: str, count: int) -> list[tuple[str, float]]:
    """Words per image (TSV `page_num`), joined by line; the confidence is the least of its words'."""
    words: dict[int, list[tuple[int, int, int, str, float]]] = {}
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        page, block, par, ln = (int(c) for c in cols[1:5])
        words.setdefault(page - 1, []).append((block, par, ln, cols[11].strip(), float(cols[10])))
    out = []
    for n in range(count):
        found = words.get(n, [])
        lines: dict[tuple, list[str]] = {}
        for block, par, ln, text, _ in found:
            lines.setdefault((block, par, ln), []).append(text)
        text = "\n".join(_CJK_SPACE.sub("", " ".join(ws)) for ws in lines.values())
        out.append((text, min((w[4] for w in found), default=0.0)))
    return out


_NUMBER = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


def figure_text(text: str, conf: float) -> tuple[str, float]:
    """A figure as recognised, made a number the table reader parses: kept with its confidence when
    it is one (1,234.5 or 1234.5); else repaired — stray marks at its ends dropped, a lone comma
    taken for the decimal point — with confidence 0, so that a person confirms it (待人工核对)."""
    compact = re.sub(r"\s", "", text)
    if _NUMBER.fullmatch(compact):
        return compact, conf
    trimmed = compact.strip(".,-'")
    if not _NUMBER.fullmatch(trimmed) and trimmed.count(",") == 1 and "." not in trimmed:
        trimmed = trimmed.replace(",", ".")
    if not _NUMBER.fullmatch(trimmed):
        digits = re.sub(r"[^0-9.]", "", trimmed)
        head, _, tail = digits.partition(".")
        trimmed = (head + ("." + tail.replace(".", "") if tail else "")) or "0"
    return trimmed, 0.0


DISAGREE = 50.0            # the confidence, at most, of a figure the two models read differently


def agree(readings: list[tuple[str, float]]) -> tuple[str, float]:
    """One figure from several readings of a cell: the first, as sure as the least sure of them when
    they all agree, and at most `DISAGREE` sure when they do not (a person confirms it)."""
    text = readings[0][0]
    conf = min(c for _, c in readings)
    return (text, conf) if all(t == text for t, _ in readings) else (text, min(conf, DISAGREE))


_STRAY = re.compile(r"[^\u3400-\u9fff0-9A-Za-z（）()\n·]")


def words_text(text: str, conf: float) -> tuple[str, float]:
    """A cell of words (a school's name), at most `DISAGREE` sure, however sure the engine was, when
    it has a stray mark (第!小学, 第.4小学: a misreading) or an Arabic digit among Chinese characters
    (the Chinese model read 第5小学 as 第3小学 at 94, both views agreeing: measured, docs/ocr.md)."""
    suspect = _STRAY.search(text) or (_DIGIT.search(text) and _CJK.search(text))
    return (text, min(conf, DISAGREE)) if suspect else (text, conf)


def looks_numeric(text: str) -> bool:
    """A figure cell, as the Chinese model saw it: a digit, and at most one Chinese character (a
    figure misread, 小4J8 for 4.48); a school's name has two or more (第1小学)."""
    compact = re.sub(r"\s", "", text)
    return bool(compact) and (not _CJK.search(compact) and bool(re.search(r"[0-9A-Za-z]", compact))
                              or bool(_DIGIT.search(compact)) and len(_CJK.findall(compact)) <= 1)


def read_page(rgb, page_no: int, scale: float, workdir: Path) -> list[dict]:
    """The ruled table on one scanned page as a grid dict (rows, cells with box and confidence)."""
    import numpy as np
    gray = clean(rgb)
    angle = tilt(_ink(gray))
    level = _rotate(gray, angle)
    found = find_grid(_ink(level, RULE_LEVEL))
    if found is None:
        return []
    ys, xs, spans, rules = found
    page = np.where(rules > 0, 255, level).astype(np.uint8)       # the ruling lines erased
    rows, cols = len(ys) - 1, len(xs) - 1
    texts: list[list] = [[None] * cols for _ in range(rows)]
    cells: list[list] = [[None] * cols for _ in range(rows)]
    images, where = [], []
    for (i, j), (i2, j2) in sorted(spans.items()):
        box = (xs[j], ys[i], xs[j2 + 1], ys[i2 + 1])
        scan = {"box": _page_box(box, angle, gray.shape, scale), "conf": 100.0}
        for k in range(i, i2 + 1):          # the positions a merged cell covers share its box
            for m in range(j, j2 + 1):
                cells[k][m] = scan
        texts[i][j] = ""
        img = _crop(page, *box)
        if img is not None:
            images.append(img)
            where.append((i, j))
    words = [recognise([variant(one_line(img), *view) for img in images], workdir / f"words{n}",
                       config=TEXT_CONFIG) for n, view in enumerate(TEXT_VIEWS)]
    digits = [recognise([variant(img, scale, binary) for img in images], workdir / f"digits{n}", installed(lang),
                        DIGITS_CONFIG) for n, (scale, binary, lang) in enumerate(DIGIT_VIEWS)]
    for (i, j), as_words, as_digits in zip(where, zip(*words), zip(*digits)):
        reading = words_text(*agree(list(as_words)))
        figure = agree([figure_text(*d) for d in as_digits])
        if not _DIGIT.search("".join(t for t, _ in as_digits)) and _DIGIT.search(reading[0]):
            figure = (figure_text(*reading)[0], 0.0)    # the digit model saw nothing: the words' digits
        texts[i][j], conf = figure if looks_numeric(reading[0]) else reading   # until the columns are known
        cells[i][j].update(conf=conf, words=list(reading), figure=list(figure))
    return [{"rows": texts, "cells": cells, "page": page_no, "tilt": angle}]


def _page_box(box, angle: float, shape, scale: float) -> list[float]:
    """A level-page box as the axis-aligned box of its corners on the page as scanned, in PDF points."""
    import math
    h, w = shape[:2]
    cx, cy = w / 2, h / 2
    a = math.radians(angle)     # level = rotate(scan, angle): back to the scan is the inverse
    cos, sin = math.cos(a), math.sin(a)
    pts = []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        pts.append((cx + cos * dx - sin * dy, cy + sin * dx + cos * dy))
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return [round(min(xs) / scale, 1), round(min(ys) / scale, 1), round(max(xs) / scale, 1), round(max(ys) / scale, 1)]


def image_pages(data: bytes) -> list[int]:
    """The 1-based numbers of the pages that carry images and no text (what a scanner gives)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    try:
        out = []
        for k in range(len(pdf)):
            page = pdf[k]
            text = page.get_textpage()
            chars = text.count_chars()
            text.close()
            if chars == 0 and any(o.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for o in page.get_objects()):
                out.append(k + 1)
            page.close()
        return out
    finally:
        pdf.close()


def read_scanned(data: bytes, pages: list[int], progress=None) -> dict:
    """Every ruled table on the given scanned pages: {"grids": [...], "pages": n, "ocr_pages": [...]}.

    `progress(done, total)` is called after each page (the web upload shows it)."""
    import pypdfium2 as pdfium
    scale = DPI / 72
    pdf = pdfium.PdfDocument(data)
    grids = []
    try:
        with tempfile.TemporaryDirectory(prefix="junheng-ocr-") as tmp:
            for done, page_no in enumerate(pages, start=1):
                page = pdf[page_no - 1]
                rgb = page.render(scale=scale, rev_byteorder=True).to_numpy()   # RGB, not BGR
                page.close()
                workdir = Path(tmp) / f"p{page_no}"
                workdir.mkdir()
                for grid in read_page(rgb, page_no, scale, workdir):
                    grids.append({**grid, "row_numbers": list(range(1, len(grid["rows"]) + 1)),
                                  "index": len(grids) + 1, "caption": "", "sheet": "", "strategy": "ocr"})
                if progress is not None:
                    progress(done, len(pages))
        return {"grids": grids, "pages": len(pdf), "ocr_pages": pages}
    finally:
        pdf.close()


CELL_MARGIN = 6.0          # points around a cell's box in its picture (the tilt moves its edges)


def cell_png(data: bytes, page_no: int, box: list[float], dpi: int = DPI) -> bytes:
    """The picture of one scanned cell (its box, in points, on page `page_no`), as PNG, for a person
    to read beside the figure the machine read."""
    import cv2
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[page_no - 1]
        rgb = page.render(scale=dpi / 72, rev_byteorder=True).to_numpy()
        page.close()
    finally:
        pdf.close()
    k = dpi / 72
    x0, y0 = max(0, int((box[0] - CELL_MARGIN) * k)), max(0, int((box[1] - CELL_MARGIN) * k))
    x1, y1 = int((box[2] + CELL_MARGIN) * k), int((box[3] + CELL_MARGIN) * k)
    ok, png = cv2.imencode(".png", cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2BGR))
    return png.tobytes() if ok else b""
