"""The dashboard as plain HTML tables: the recognition timeline (创建时间表), the indicator heatmap
(达标率热力图) and the counties' table. Pure: rows in, markup out.

Why tables and not a chart library or st.table: the pictures are 12 × 10 and 12 × 7 cells. Drawn by
Vega they cost the browser about 0.9 CPU-s and 19 more downloads on every sign-in, and st.table's
Arrow decoding about 1 MB of scripts to fetch and parse (benchmarks/bench_signin.py); their text could
not be selected, read by a screen reader or translated with the page.
"""

from __future__ import annotations

from html import escape

# One colour a cycle stage, by its place in the cycle (Tableau 10, as the charts had).
STAGE_COLOURS = ("#4c78a8", "#f58518", "#54a24b", "#b279a2", "#e45756", "#72b7b2", "#eeca3b", "#9d755d",
                 "#ff9da6", "#bab0ac")
# Red–yellow–green for the share of school stages that meet an indicator (0 → 1).
SHARE_STOPS = ((0.0, (215, 48, 39)), (0.25, (252, 141, 89)), (0.5, (254, 224, 139)), (0.75, (145, 207, 96)),
               (1.0, (26, 152, 80)))

STYLE = """<style>
.jh-grid {border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.8rem}
.jh-grid th, .jh-grid td {padding: 0.15rem 0.1rem; text-align: center; border-bottom: 1px solid #eee}
.jh-grid th:first-child, .jh-grid td:first-child {text-align: left; width: 5.5em; white-space: nowrap;
  overflow: hidden; text-overflow: ellipsis}
.jh-heatmap th:first-child, .jh-heatmap td:first-child {width: 8.5em}
.jh-grid th {font-weight: normal; color: #555}
.jh-grid .now {background: #fdecea}
.jh-grid th.now {color: #b3261e; font-weight: bold}
.jh-dot {display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%; vertical-align: middle}
.jh-legend {font-size: 0.8rem; color: #555; margin-top: 0.3rem}
.jh-legend span {margin-right: 0.8em; white-space: nowrap}
.jh-grid td.share {font-variant-numeric: tabular-nums}
.jh-scroll {overflow-x: auto}
.jh-table {border-collapse: collapse; width: 100%; font-size: 0.85rem}
.jh-table th, .jh-table td {padding: 0.3rem 0.3rem; text-align: left; vertical-align: top;
  border-bottom: 1px solid rgba(49, 51, 63, 0.1); white-space: nowrap; word-break: keep-all}
.jh-table th {font-weight: normal; color: rgba(49, 51, 63, 0.6); white-space: normal}
.jh-table td.wrap {white-space: normal; width: 19.5em}
</style>"""


def years_span(target_years: list[int]) -> range:
    """The years the timeline shows: from the earliest county's recognition year to the latest."""
    return range(min(target_years), max(target_years) + 1)


def timeline(rows: list[dict], stage_order: list[str], this_year: int) -> str:
    """One row a county (`county`, `target_year`, `stage`, `stage_label`), a column a year; a dot in the
    county's recognition year in its stage's colour; this year's column shaded."""
    years = years_span([r["target_year"] for r in rows])
    colour = {s: STAGE_COLOURS[i % len(STAGE_COLOURS)] for i, s in enumerate(stage_order)}
    now = lambda y: ' class="now"' if y == this_year else ""  # noqa: E731
    head = "".join(f"<th{now(y)}>{str(y)[2:]}</th>" for y in years)
    body = []
    for r in rows:
        cells = "".join(
            f'<td{now(y)}><span class="jh-dot" style="background:{colour.get(r["stage"], "#888")}" '
            f'title="{escape(r["county"])} {y} {escape(r["stage_label"])}"></span></td>'
            if y == r["target_year"] else f"<td{now(y)}></td>" for y in years)
        body.append(f'<tr><td title="{escape(r["county"])}">{escape(r["county"])}</td>{cells}</tr>')
    shown = list(dict.fromkeys((r["stage"], r["stage_label"]) for r in rows))
    legend = "".join(f'<span><span class="jh-dot" style="background:{colour.get(s, "#888")}"></span> '
                     f"{escape(label)}</span>" for s, label in sorted(shown, key=lambda x: _place(stage_order, x[0])))
    return (f'<table class="jh-grid jh-timeline"><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table><div class="jh-legend">{legend}</div>')


def heatmap(cells: list[dict], counties: list[str]) -> str:
    """One row a county, a column an indicator; each cell the percentage of the county's school stages
    that meet it (`share` 0–1), coloured red (none) to green (all)."""
    indicators = sorted({c["indicator"] for c in cells}, key=_indicator_order)
    share = {(c["county"], c["indicator"]): c["share"] for c in cells}
    head = "".join(f"<th>{escape(i)}</th>" for i in indicators)
    body = []
    for county in (c for c in counties if any((c, i) in share for i in indicators)):
        row = "".join(_share_cell(county, i, share.get((county, i))) for i in indicators)
        body.append(f'<tr><td title="{escape(county)}">{escape(county)}</td>{row}</tr>')
    return (f'<table class="jh-grid jh-heatmap"><thead><tr><th></th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def table(rows: list[dict], wrap: str = "") -> str:
    """A plain table of `rows` (dicts with the same keys, in order); only column `wrap` wraps."""
    if not rows:
        return ""
    keys = list(rows[0])
    cls = {k: ' class="wrap"' if k == wrap else "" for k in keys}
    head = "".join(f"<th>{escape(str(k))}</th>" for k in keys)
    body = "".join("<tr>" + "".join(f"<td{cls[k]}>{escape(str(r[k]))}</td>" for k in keys) + "</tr>" for r in rows)
    # On a phone the table scrolls sideways inside its own box, not the page.
    return f'<div class="jh-scroll"><table class="jh-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def share_colour(share: float) -> str:
    """The red–yellow–green colour of a share (clamped to 0–1)."""
    x = min(1.0, max(0.0, share))
    for (a, ca), (b, cb) in zip(SHARE_STOPS, SHARE_STOPS[1:]):
        if x <= b:
            t = (x - a) / (b - a)
            return "#" + "".join(f"{round(p + (q - p) * t):02x}" for p, q in zip(ca, cb))
    return "#1a9850"


def _share_cell(county: str, indicator: str, share: float | None) -> str:
    if share is None:
        return "<td>—</td>"
    pct = round(share * 100)
    ink = "#fff" if share < 0.15 or share > 0.85 else "#222"
    return (f'<td class="share" style="background:{share_colour(share)};color:{ink}" '
            f'title="{escape(county)} {escape(indicator)} {pct}%">{pct}</td>')


def _indicator_order(code: str) -> tuple[str, int]:
    head, digits = code.rstrip("0123456789"), code[len(code.rstrip("0123456789")):]
    return head, int(digits or 0)


def _place(order: list[str], stage: str) -> int:
    return order.index(stage) if stage in order else len(order)
