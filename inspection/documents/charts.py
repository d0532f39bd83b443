"""Charts (图表) for the documents: specs are plain frozen data, drawn as SVG by this module.

The PDF embeds the SVG (WeasyPrint draws it with the document's fonts, as vectors). The DOCX needs
a picture: `render_png` has WeasyPrint lay the same SVG on a page of the chart's size and PDFium
rasterise it, so both formats show one drawing. Drawing is plain string work in millimetres, with
text widths estimated (a Chinese character 1 em, Latin letters and digits 0.6 em); the tests measure
the rendered text from the PDF. matplotlib drew these before: importing it and drawing two charts
was a quarter of a letter's CPU time (benchmarks/bench_documents.py).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import escape
from typing import Union

RED, DARK_RED, GREY, BLUE, GREEN, ORANGE = "#c0392b", "#7b241c", "#8c9399", "#34495e", "#2e7d32", "#d68910"
LIGHT = "#d5d8dc"
PT = 25.4 / 72                       # millimetres a point
SMALL, TEXT = 7 * PT, 8 * PT         # label and axis text sizes


@dataclass(frozen=True)
class IndicatorChart:
    """Each indicator against its threshold by school: values as % of the stage threshold, sorted."""

    labels: tuple[str, ...]                 # one per indicator, e.g. "R1\n高学历教师"
    ratios: tuple[tuple[float, ...], ...]   # per indicator: each school-stage row's value / threshold
    floor: float = 0.85
    height_mm: float = 85.0


@dataclass(frozen=True)
class CvChart:
    """Inter-school coefficients of variation (差异系数) per indicator and stage, against the limits."""

    labels: tuple[str, ...]
    primary: tuple[float, ...] | None
    junior: tuple[float, ...] | None
    limits: tuple[float, float]             # (primary, junior)
    height_mm: float = 70.0


@dataclass(frozen=True)
class TimelineChart:
    """The recognition timeline: each county at its year; status met | due | overdue | planned."""

    counties: tuple[tuple[str, int, str], ...]
    start: int = 2025
    end: int = 2034
    as_of_year: int | None = None
    height_mm: float = 90.0


@dataclass(frozen=True)
class ProgressChart:
    """Share of school-stage rows passing the resource rule, per county (label carries the year)."""

    counties: tuple[tuple[str, float], ...]
    height_mm: float = 90.0


Chart = Union[IndicatorChart, CvChart, TimelineChart, ProgressChart]
DPI = 200


def svg(chart: Chart, width_mm: float) -> str:
    """The chart as an SVG document `width_mm` wide and its own height, in millimetre units."""
    draw = _DRAW[type(chart)]
    c = _Canvas(width_mm, chart.height_mm)
    draw(c, chart)
    return c.markup()


def svg_uri(chart: Chart, width_mm: float) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(chart, width_mm).encode("utf-8")).decode("ascii")


_DRAWN: dict[tuple, bytes] = {}


def render_png(chart: Chart, width_mm: float = 156.0, dpi: int = DPI) -> bytes:
    """PNG of the chart (for the DOCX): the SVG laid out by WeasyPrint, rasterised by PDFium; kept per process."""
    key = (chart, width_mm, dpi)
    if key not in _DRAWN:
        if len(_DRAWN) >= 128:      # a long-lived worker keeps only recent charts
            _DRAWN.clear()
        _DRAWN[key] = _rasterise(svg_uri(chart, width_mm), width_mm, chart.height_mm, dpi)
    return _DRAWN[key]


def _rasterise(uri: str, width_mm: float, height_mm: float, dpi: int) -> bytes:
    import io

    import pypdfium2
    from weasyprint import HTML
    page = (f"<style>@page {{size: {width_mm}mm {height_mm}mm; margin: 0}} body {{margin: 0}} "
            f"img {{display: block; width: {width_mm}mm; height: {height_mm}mm}}</style><img src=\"{uri}\">")
    pdf = pypdfium2.PdfDocument(HTML(string=page).write_pdf())
    try:
        image = pdf[0].render(scale=dpi / 72, fill_color=(255, 255, 255, 255)).to_pil().convert("RGB")
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


# ── drawing ─────────────────────────────────────────────────────────────────────────────────────

def text_mm(text: str, size: float) -> float:
    """Estimated width of one line of `text` at `size` mm."""
    return sum(size if ord(ch) >= 0x2E80 else 0.6 * size for ch in text)


class _Canvas:
    def __init__(self, width: float, height: float) -> None:
        self.width, self.height, self.parts = width, height, []

    def rect(self, x: float, y: float, w: float, h: float, fill: str) -> None:
        self.parts.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="{fill}"/>')

    def path(self, d: str, fill: str) -> None:
        if d:
            self.parts.append(f'<path d="{d}" fill="{fill}"/>')

    def line(self, x1, y1, x2, y2, colour="#000", width=0.8 * PT, dash: str = "") -> None:
        style = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{colour}" '
                          f'stroke-width="{width:.3f}"{style}/>')

    def dot(self, x: float, y: float, r: float, fill: str) -> None:
        self.parts.append(f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:.2f}" fill="{fill}"/>')

    def text(self, x: float, y: float, text: str, size: float = SMALL, anchor: str = "start",
             colour: str = "#000", middle: bool = True, rotate: bool = False) -> None:
        """One line; `y` its vertical centre (or its baseline with middle=False)."""
        base = y + 0.35 * size if middle or rotate else y
        turn = f' transform="rotate(-90 {x:.2f} {y:.2f})"' if rotate else ""
        self.parts.append(f'<text x="{x:.2f}" y="{base:.2f}" font-size="{size:.2f}" text-anchor="{anchor}" '
                          f'fill="{colour}"{turn}>{escape(text)}</text>')

    def markup(self) -> str:
        from inspection.documents.fonts import CHART_FAMILIES
        family = ", ".join(f"'{f}'" for f in CHART_FAMILIES) + ", sans-serif"
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}mm" height="{self.height}mm" '
                f'viewBox="0 0 {self.width} {self.height}" font-family="{escape(family)}">'
                f'<rect width="{self.width}" height="{self.height}" fill="#fff"/>{"".join(self.parts)}</svg>')


@dataclass
class _Plot:
    """A plot area inside the canvas (mm), with the value range of its vertical (or horizontal) axis."""

    x0: float
    x1: float
    y0: float                    # top
    y1: float                    # bottom
    low: float
    high: float

    def _at(self, v: float) -> float:
        """Where `v` lies between low and high, 0–1 (clamped)."""
        return (min(max(v, self.low), self.high) - self.low) / (self.high - self.low)

    def y(self, v: float) -> float:
        return self.y1 - self._at(v) * (self.y1 - self.y0)

    def x(self, v: float) -> float:
        return self.x0 + self._at(v) * (self.x1 - self.x0)


def _axes(c: _Canvas, p: _Plot) -> None:
    c.line(p.x0, p.y0, p.x0, p.y1, width=0.6 * PT)
    c.line(p.x0, p.y1, p.x1, p.y1, width=0.6 * PT)


def _y_ticks(c: _Canvas, p: _Plot, ticks) -> None:
    for v, label in ticks:
        y = p.y(v)
        c.line(p.x0 - 1.0, y, p.x0, y, width=0.5 * PT)
        c.text(p.x0 - 1.5, y, label, anchor="end")


def _bars_path(bars) -> str:
    return "".join(f"M{x:.2f} {top:.2f}h{w:.2f}V{bottom:.2f}h{-w:.2f}Z" for x, top, w, bottom in bars)


def _draw_indicators(c: _Canvas, chart: IndicatorChart) -> None:
    cap = 200.0
    left = 6 + text_mm("≥200%", SMALL) + 2
    p = _Plot(left, c.width - 2 - text_mm("标准", SMALL) - 1.5, 5.5, c.height - 3 - 2 * SMALL * 1.25, 0.0, cap)
    n = max(len(chart.ratios), 1)
    group, gap = (p.x1 - p.x0) / n, 0.25
    for k, ratios in enumerate(chart.ratios):
        r = sorted(min(v * 100, cap) for v in ratios)
        if not r:
            continue
        width = group * (1 - gap) / len(r)
        start = p.x0 + group * (k + gap / 2)
        bars: dict[str, list] = {GREY: [], RED: [], DARK_RED: []}
        for j, v in enumerate(r):
            colour = DARK_RED if v < chart.floor * 100 else RED if v < 100 - 1e-7 else GREY
            bars[colour].append((start + j * width, p.y(v), width + 0.01, p.y1))
        for colour, parts in bars.items():
            c.path(_bars_path(parts), colour)
        short = sum(1 for v in r if v < 100 - 1e-7)
        c.text(p.x0 + group * (k + 0.5), p.y0 - 2.5, f"未达标{short}" if short else "全部达标", anchor="middle",
               colour=RED if short else GREEN)
        for i, line in enumerate(chart.labels[k].split("\n")):
            c.text(p.x0 + group * (k + 0.5), p.y1 + 2 + SMALL * (0.5 + 1.25 * i), line, anchor="middle")
    c.line(p.x0, p.y(100), p.x1, p.y(100), width=0.8 * PT)
    c.line(p.x0, p.y(chart.floor * 100), p.x1, p.y(chart.floor * 100), DARK_RED, 0.8 * PT, "1.2 0.8")
    c.text(p.x1 + 1, p.y(100), "标准")
    c.text(p.x1 + 1, p.y(chart.floor * 100), f"{chart.floor:.0%}", colour=DARK_RED)
    _axes(c, p)
    _y_ticks(c, p, [(0, "0"), (50, "50%"), (85, "85%"), (100, "100%"), (150, "150%"), (200, "≥200%")])
    c.text(2.5, (p.y0 + p.y1) / 2, "达到标准的程度（各校由低到高）", TEXT * 0.9, "middle", rotate=True)


def _nice_step(top: float) -> float:
    return next(s for s in (0.1, 0.2, 0.5, 1.0, 2.0) if top / s <= 7)


def _draw_cv(c: _Canvas, chart: CvChart) -> None:
    series = [(n, v, lim, col) for n, v, lim, col in (("小学", chart.primary, chart.limits[0], BLUE),
                                                       ("初中", chart.junior, chart.limits[1], GREY)) if v is not None]
    top = max([0.6] + [max(v) * 1.15 for _, v, _, _ in series if v])
    step = _nice_step(top)
    p = _Plot(6 + text_mm("0.00", SMALL) + 2, c.width - 2, 8.0, c.height - 3 - SMALL * 1.25, 0.0, top)
    n = max(len(chart.labels), 1)
    group = (p.x1 - p.x0) / n
    width = group * 0.8 / max(len(series), 1)
    for j, (name, values, limit, colour) in enumerate(series):
        for k, v in enumerate(values):
            x = p.x0 + group * (k + 0.1) + width * j
            over = v > limit * (1 + 1e-9)
            c.rect(x + width * 0.05, p.y(v), width * 0.9, p.y1 - p.y(v), RED if over else colour)
            c.text(x + width / 2, p.y(v) - 0.8, f"{v:.2f}", 6 * PT, "middle", middle=False)
        c.line(p.x0, p.y(limit), p.x1, p.y(limit), colour, 0.8 * PT, "1.2 0.8")
        lx = p.x0 + 2 + j * (text_mm("小学（上限0.50）", SMALL) + 8)
        c.rect(lx, 2.5 - SMALL * 0.4, SMALL * 0.8, SMALL * 0.8, colour)
        c.text(lx + SMALL * 1.1, 2.5, f"{name}（上限{limit:.2f}）")
    for k, label in enumerate(chart.labels):
        c.text(p.x0 + group * (k + 0.5), p.y1 + 1.5 + SMALL * 0.5, label, anchor="middle")
    _axes(c, p)
    ticks = [round(step * i, 2) for i in range(int(top / step + 1e-9) + 1)]
    _y_ticks(c, p, [(t, f"{t:.1f}") for t in ticks])
    c.text(2.5, (p.y0 + p.y1) / 2, "差异系数", TEXT * 0.9, "middle", rotate=True)


_STATUS = {"met": (GREEN, "已达标"), "due": (ORANGE, "本年度创建"), "overdue": (RED, "逾期未达标"),
           "planned": (BLUE, "未到创建年份")}


def _draw_timeline(c: _Canvas, chart: TimelineChart) -> None:
    rows = sorted(chart.counties, key=lambda t: (t[1], t[0]))          # earliest at the top
    names = max((text_mm(r[0], SMALL) for r in rows), default=10)
    legend = sum(text_mm(label, SMALL) + SMALL * 2.2 for _, label in _STATUS.values())
    p = _Plot(names + 4, c.width - 2 - text_mm("2034", SMALL) - 1, 9.0, c.height - 3 - SMALL * 1.25,
              chart.start - 0.5, chart.end + 0.5)
    x = p.x
    pitch = (p.y1 - p.y0) / max(len(rows), 1)
    for i, (name, year, status) in enumerate(rows):
        y = p.y0 + pitch * (i + 0.5)
        colour = _STATUS.get(status, _STATUS["planned"])[0]
        c.line(x(chart.start - 0.4), y, x(year), y, LIGHT, 3 * PT)
        c.dot(x(year), y, 1.1, colour)
        c.text(x(year) + 1.8, y, str(year), colour=colour)
        c.text(p.x0 - 1.5, y, name, anchor="end")
    if chart.as_of_year is not None:
        c.line(x(chart.as_of_year), p.y0, x(chart.as_of_year), p.y1, RED, 0.8 * PT, "0.4 0.8")
        c.text(x(chart.as_of_year), p.y0 - 2.2, f"{chart.as_of_year}年", anchor="middle", colour=RED)
    lx = c.width - 2 - legend
    for colour, label in _STATUS.values():
        c.dot(lx + SMALL * 0.4, 2.5, SMALL * 0.35, colour)
        c.text(lx + SMALL * 1.0, 2.5, label)
        lx += text_mm(label, SMALL) + SMALL * 2.2
    for year in range(chart.start, chart.end + 1):
        c.text(x(year), p.y1 + 1.5 + SMALL * 0.5, str(year), anchor="middle")
    _axes(c, p)


def _draw_progress(c: _Canvas, chart: ProgressChart) -> None:
    names = max((text_mm(n, SMALL) for n, _ in chart.counties), default=10)
    p = _Plot(names + 3, c.width - 2 - text_mm("100.0%", SMALL) - 1, 2.0, c.height - 4 - SMALL * 2.6, 0.0, 100.0)
    pitch = (p.y1 - p.y0) / max(len(chart.counties), 1)
    for i, (name, share) in enumerate(chart.counties):                # in the order given, top down
        y = p.y0 + pitch * (i + 0.5)
        pct = share * 100
        c.rect(p.x0, y - pitch * 0.3, p.x(pct) - p.x0, pitch * 0.6, GREEN if pct >= 100 else BLUE)
        c.text(p.x(pct) + 1, y, f"{pct:.1f}%")
        c.text(p.x0 - 1.5, y, name, anchor="end")
    for v in (0, 25, 50, 75, 100):
        c.line(p.x(v), p.y1, p.x(v), p.y1 + 1.0, width=0.5 * PT)
        c.text(p.x(v), p.y1 + 1.5 + SMALL * 0.5, f"{v}%" if v else "0", anchor="middle")
    c.text((p.x0 + p.x1) / 2, c.height - 2 - SMALL * 0.5, "资源配置达标的学校（学段）占比", TEXT * 0.9, "middle")
    _axes(c, p)


_DRAW = {IndicatorChart: _draw_indicators, CvChart: _draw_cv, TimelineChart: _draw_timeline,
         ProgressChart: _draw_progress}
