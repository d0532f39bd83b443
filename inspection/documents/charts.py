"""Charts (图表) for the documents: specs are plain frozen data, drawn to PNG by matplotlib on demand.

A spec is hashable, so one chart is drawn once per process and the PNG is shared by the PDF and
DOCX renderers (`render_png` keeps what it drew; `draw_many` draws in another process, `keep` takes the
result). Drawing keeps to one axes per chart and fixed ticks: tick
layout dominates matplotlib's time (measured: 7 subplots ≈ 0.45 s, one axes ≈ 0.1 s).
matplotlib is imported only when a chart is drawn; it is a dependency (`matplotlib>=3.8`).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

RED, DARK_RED, GREY, BLUE, GREEN, ORANGE = "#c0392b", "#7b241c", "#8c9399", "#34495e", "#2e7d32", "#d68910"


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
MM = 1 / 25.4


@lru_cache(maxsize=1)
def pyplot_ready() -> str:
    """Configure matplotlib once (Agg, a CJK face, quiet font warnings); returns the family used."""
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager

    from inspection.documents.fonts import CHART_FAMILIES
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    names = {f.name for f in font_manager.fontManager.ttflist}
    family = next((f for f in CHART_FAMILIES if f in names), "sans-serif")
    matplotlib.rcParams.update({"font.family": [family, "DejaVu Sans"], "axes.unicode_minus": False,
                                "font.size": 8, "axes.spines.top": False, "axes.spines.right": False})
    return family


_DRAWN: dict[tuple, bytes] = {}
DPI = 200


def render_png(chart: Chart, width_mm: float = 156.0, dpi: int = DPI) -> bytes:
    """PNG bytes of `chart` at `width_mm` wide (its own height); drawn once per process."""
    key = (chart, width_mm, dpi)
    if key not in _DRAWN:
        keep({key: _draw_png(chart, width_mm, dpi)})
    return _DRAWN[key]


def warm_up() -> None:
    """Import matplotlib and load its CJK face by drawing a small chart (~0.3 s once a process):
    for a process started ahead of its work, so that the first real chart draws at full speed."""
    _draw_png(CvChart(("图",), (0.1,), None, (0.5, 0.45), height_mm=20.0), 40.0, 50)


def keep(drawn: dict[tuple, bytes]) -> None:
    """Remember PNGs drawn elsewhere (another process), keyed (chart, width_mm, dpi) like `render_png`."""
    if len(_DRAWN) + len(drawn) > 128:  # a long-lived worker keeps only recent charts
        _DRAWN.clear()
    _DRAWN.update(drawn)


def draw_many(charts: list[tuple[Chart, float]], dpi: int = DPI) -> dict[tuple, bytes]:
    """{(chart, width_mm, dpi): PNG} for [(chart, width_mm)], to hand to `keep` in another process."""
    return {(c, w, dpi): _draw_png(c, w, dpi) for c, w in dict.fromkeys(charts)}


def drawn_figure(chart: Chart, width_mm: float, dpi: int = DPI):
    """The chart drawn on a matplotlib figure (an Agg canvas), before it becomes a PNG."""
    pyplot_ready()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    fig = Figure(figsize=(width_mm * MM, chart.height_mm * MM), dpi=dpi)
    ax = fig.add_axes((0.08, 0.2, 0.9, 0.72))
    _DRAW[type(chart)](fig, ax, chart)
    FigureCanvasAgg(fig).draw()
    return fig


def _draw_png(chart: Chart, width_mm: float, dpi: int) -> bytes:
    from PIL import Image
    canvas = drawn_figure(chart, width_mm, dpi).canvas
    buf = io.BytesIO()
    # RGB, not matplotlib's RGBA: the charts are opaque, and WeasyPrint splits an alpha channel
    # into a second image it compresses again.
    Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB").save(buf, "PNG")
    return buf.getvalue()


def _draw_indicators(fig, ax, c: IndicatorChart) -> None:
    import numpy as np
    # Room on the left for the two-line y label and on the right for the lines' labels (标准, 85%).
    ax.set_position((0.12, 0.2, 0.81, 0.72))
    gap, cap = 0.25, 200.0
    for k, ratios in enumerate(c.ratios):
        r = np.sort(np.minimum(np.asarray(ratios, dtype=float) * 100, cap))
        if not len(r):
            continue
        x = k + gap / 2 + (np.arange(len(r)) + 0.5) * (1 - gap) / len(r)
        ax.fill_between(x, r, step="mid", color=GREY, lw=0)
        ax.fill_between(x, np.where(r < 100, r, 0), step="mid", color=RED, lw=0)
        ax.fill_between(x, np.where(r < c.floor * 100, r, 0), step="mid", color=DARK_RED, lw=0)
        short = int((r < 100 - 1e-7).sum())
        ax.text(k + 0.5, cap * 0.97, f"未达标{short}" if short else "全部达标", ha="center", va="top", fontsize=7,
                color=RED if short else GREEN)
    ax.axhline(100, color="black", lw=0.8)
    ax.axhline(c.floor * 100, color=DARK_RED, lw=0.8, ls="--")
    ax.text(len(c.ratios) + 0.02, 100, "标准", va="center", fontsize=7)
    ax.text(len(c.ratios) + 0.02, c.floor * 100, f"{c.floor:.0%}", va="center", fontsize=7, color=DARK_RED)
    ax.set_xlim(0, len(c.ratios))
    ax.set_ylim(0, cap)
    ax.set_xticks([k + 0.5 for k in range(len(c.labels))], c.labels)
    ax.set_yticks([0, 50, 85, 100, 150, 200], ["0", "50%", "85%", "100%", "150%", "≥200%"])
    ax.set_ylabel("达到标准的程度（各校由低到高）")
    ax.tick_params(axis="x", length=0)


def _draw_cv(fig, ax, c: CvChart) -> None:
    import numpy as np
    x = np.arange(len(c.labels))
    series = [(n, v, lim, col) for n, v, lim, col in (("小学", c.primary, c.limits[0], BLUE),
                                                       ("初中", c.junior, c.limits[1], GREY)) if v is not None]
    width = 0.8 / max(len(series), 1)
    top = max([0.6] + [max(v) * 1.15 for _, v, _, _ in series])
    for j, (name, values, limit, colour) in enumerate(series):
        pos = x - 0.4 + width * (j + 0.5)
        over = np.asarray(values) > limit * (1 + 1e-9)
        ax.bar(pos, values, width * 0.9, color=[RED if o else colour for o in over], label=f"{name}（上限{limit:.2f}）")
        ax.hlines(limit, -0.5, len(x) - 0.5, colors=colour, linestyles="--", lw=0.8)
        for p, v in zip(pos, values):
            ax.text(p, v + top * 0.01, f"{v:.2f}", ha="center", va="bottom", fontsize=6)
    ax.set_xticks(x, c.labels)
    ax.set_xlim(-0.5, len(x) - 0.5)
    ax.set_ylim(0, top)
    ax.set_ylabel("差异系数")
    ax.legend(loc="upper left", fontsize=7, frameon=False, ncol=2)
    ax.tick_params(axis="x", length=0)


_STATUS = {"met": (GREEN, "已达标"), "due": (ORANGE, "本年度创建"), "overdue": (RED, "逾期未达标"),
           "planned": (BLUE, "未到创建年份")}


def _draw_timeline(fig, ax, c: TimelineChart) -> None:
    rows = sorted(c.counties, key=lambda t: (t[1], t[0]), reverse=True)
    for y, (name, year, status) in enumerate(rows):
        colour = _STATUS.get(status, _STATUS["planned"])[0]
        ax.hlines(y, c.start - 0.4, year, colors="#d5d8dc", lw=3)
        ax.plot([year], [y], "o", color=colour, ms=6)
        ax.text(year + 0.25, y, str(year), va="center", fontsize=7, color=colour)
    if c.as_of_year is not None:
        ax.axvline(c.as_of_year, color=RED, lw=0.8, ls=":")
        ax.text(c.as_of_year, len(rows) - 0.3, f"{c.as_of_year}年", color=RED, ha="center", fontsize=7)
    for status, (colour, label) in _STATUS.items():
        ax.plot([], [], "o", color=colour, label=label)
    ax.set_yticks(range(len(rows)), [r[0] for r in rows])
    ax.set_xticks(range(c.start, c.end + 1), [str(y) for y in range(c.start, c.end + 1)])
    ax.set_xlim(c.start - 0.5, c.end + 0.9)
    ax.set_ylim(-0.7, len(rows) + 0.2)
    ax.legend(loc="upper right", fontsize=7, frameon=False)
    fig.subplots_adjust(left=0.2, bottom=0.1, top=0.97)
    ax.set_position((0.2, 0.1, 0.78, 0.86))


def _draw_progress(fig, ax, c: ProgressChart) -> None:
    rows = list(reversed(c.counties))
    shares = [s * 100 for _, s in rows]
    ax.barh(range(len(rows)), shares, color=[GREEN if s >= 100 else BLUE for s in shares], height=0.6)
    for y, s in enumerate(shares):
        ax.text(s + 1, y, f"{s:.1f}%", va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [n for n, _ in rows])
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
    ax.set_xlabel("资源配置达标的学校（学段）占比")
    ax.set_position((0.26, 0.12, 0.7, 0.85))


_DRAW = {IndicatorChart: _draw_indicators, CvChart: _draw_cv, TimelineChart: _draw_timeline,
         ProgressChart: _draw_progress}
