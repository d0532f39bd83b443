"""Factories that build real school tables and files from a few numbers."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np

from inspection.columns import canonical_columns
from inspection.standard import Standard
from inspection.table import Cell, SchoolTable, build_table

STAGE_ZH = {"primary": "小学", "junior": "初中"}


def school(standard: Standard, name: str, stage: str = "primary", students: int = 1000,
           ratios: dict[str, float] | None = None, default: float = 1.0) -> dict[str, float | str]:
    """A school row (engine units) whose indicator Rk equals ratios[Rk] × its threshold."""
    ratios = ratios or {}
    row: dict[str, float | str] = {"name": name, "stage": stage, "students": students,
                                   "classes": max(1, -(-students // 40))}
    for ind in standard.resource_indicators:
        target = ratios.get(ind.id, default) * ind.threshold[stage]
        amount = target * students / ind.formula.scale
        first, *others = ind.formula.numerator
        if ind.id == "R3":  # split between PE and art teachers
            row[first] = row[others[0]] = amount / 2
        else:               # R5 (Kashgar): all in the school's own grounds, no rented venue
            row[first] = amount
            row.update(dict.fromkeys(others, 0.0))
    return row


def to_table(rows: list[dict]) -> SchoolTable:
    """Build through the same validation every reader uses (equipment given in 元 here)."""
    return build_table([{k: Cell(str(v)) for k, v in r.items()} for r in rows], file="factory")


def write_csv(path: Path, rows: list[dict], *, headers: list[str] | None = None) -> Path:
    """Write rows in the canonical CSV columns (equipment converted to 万元 as the header says)."""
    cols = canonical_columns()
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers or [c.header for c in cols])
        for r in rows:
            out = []
            for c in cols:
                value = r.get(c.field, "")
                if c.field == "stage":
                    value = STAGE_ZH.get(value, value)
                elif c.field == "equipment_value" and value != "":
                    value = f"{float(value) / 10000:.6f}"
                elif isinstance(value, float):
                    value = f"{value:.6f}"
                out.append(value)
            writer.writerow(out)
    return path


def passing_county_values(standard: Standard, *, year: int = 2026) -> dict[str, object]:
    """A value for every county-level indicator that meets it, as a county writes it in the
    `县级指标` sheet: 是 for judged items, the threshold grade, '小学100；初中95' per stage, and
    {year: amount} rising for multi-year figures."""
    out: dict[str, object] = {}
    for ind in standard.county_indicators:
        if ind.judged:
            out[ind.id] = "是"
        elif ind.comparator == "grade":
            out[ind.id] = ind.threshold
        elif ind.multi_year:
            out[ind.id] = {year - ind.years + 1 + k: 1000 + 10 * k for k in range(ind.years)}
        elif isinstance(ind.threshold, dict):
            out[ind.id] = "；".join(f"{STAGE_ZH[s]}{v:g}" for s, v in ind.threshold.items())
        elif ind.comparator == "<":
            out[ind.id] = f"{float(ind.threshold) / 2:g}"
        else:
            out[ind.id] = f"{float(ind.threshold):g}"
    return out


def write_workbook(path: Path, rows: list[dict], county: dict[str, object] | None = None,
                   standard: Standard | None = None) -> Path:
    """The generated workbook with `rows` in 学校数据 and `county` values in 县级指标."""
    from inspection.forms import build_workbook, fill_workbook
    from inspection.standard import load_standard
    book = build_workbook(standard or load_standard())
    fill_workbook(book, rows, county, evidence="自评报告.pdf 第3页")
    book.save(path)
    return path


def stressed(table: SchoolTable, seed: int) -> SchoolTable:
    """The table with four figures scattered (log-normal, σ 0.6): CVs over their limits."""
    rng = np.random.default_rng(seed)
    figures = dict(table.figures)
    for f in ("sports_area", "multimedia_rooms", "qualified_teachers", "equipment_value"):
        v = figures[f] * rng.lognormal(0, 0.6, len(table))
        figures[f] = np.round(v) if f in ("multimedia_rooms", "qualified_teachers") else np.round(v, 0)
    return replace(table, figures=figures)
