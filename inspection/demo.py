"""Demo data: plausible school tables for a prefecture's counties, reproducible from a seed.

Counties due later are further from the standard; every county is shortest on sports grounds
and equipment (the plan's own diagnosis, 方案一), and some schools are nine-year schools.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

import numpy as np

from inspection.columns import NUMERIC_FIELDS, canonical_columns
from inspection.standard import Schedule, Standard
from inspection.table import SchoolTable

# (primary schools, junior schools, nine-year schools) per county: rough sizes of each system.
COUNTY_SIZES = {
    "泽普县": (28, 8, 4), "麦盖提县": (40, 10, 5), "巴楚县": (62, 14, 6), "岳普湖县": (24, 7, 3),
    "疏附县": (52, 12, 5), "疏勒县": (70, 16, 6), "塔什库尔干塔吉克自治县": (12, 3, 3),
    "喀什市": (48, 20, 6), "伽师县": (76, 16, 6), "英吉沙县": (44, 10, 5), "叶城县": (96, 20, 8),
    "莎车县": (150, 32, 10),
}
_TOWNS = "城关 巴扎 阿瓦提 托万 古勒巴格 英阿瓦提 乌达力克 恰尔巴格 色力布亚 塔孜洪 艾力西湖 喀拉苏 依提木孔 阿尔斯兰巴格".split()


@dataclass(frozen=True)
class DemoSchool:
    name: str
    stage: str
    figures: dict[str, float]


def _readiness(year: int) -> float:
    """How close a county is to the standard: 2025 counties are nearly there, 2034 ones far off."""
    return 1.12 - 0.03 * (year - 2025)


def _school(rng: random.Random, standard: Standard, name: str, stage: str, students: int,
            readiness: float) -> DemoSchool:
    thresholds = {i.formula.numerator[0]: (i, i.threshold[stage]) for i in standard.resource_indicators}
    figures: dict[str, float] = {"students": float(students),
                                 "classes": float(max(1, round(students / rng.uniform(38, 47))))}
    lagging = {"sports_area": 0.88, "equipment_value": 0.92, "teaching_area": 0.97}
    for field in NUMERIC_FIELDS:
        if field in figures:
            continue
        if field == "art_teachers":
            continue
        ind, thr = thresholds[field]
        factor = readiness * lagging.get(field, 1.0) * rng.gauss(1.08, 0.09)
        needed = thr * students / ind.formula.scale * factor
        if field == "pe_teachers":
            pe = max(0, round(needed * 0.45))
            figures["pe_teachers"] = float(pe)
            figures["art_teachers"] = float(max(0, round(needed) - pe))
        elif ind.formula.scale == 100:
            figures[field] = float(max(0, round(needed)))
        elif field == "equipment_value":
            figures[field] = round(needed / 10000, 2) * 10000
        else:
            figures[field] = float(round(needed))
    return DemoSchool(name, stage, figures)


def county_schools(standard: Standard, county: str, recognition_year: int, seed: int = 2022) -> list[DemoSchool]:
    """The demo school rows for one county (one row per school and stage)."""
    rng = random.Random(f"{seed}:{county}")
    n_primary, n_junior, n_through = COUNTY_SIZES.get(county, (30, 8, 3))
    short = county.replace("塔吉克自治县", "").rstrip("县市")
    readiness = _readiness(recognition_year)
    rows: list[DemoSchool] = []
    for k in range(n_primary):
        town = _TOWNS[k % len(_TOWNS)]
        name = f"{short}县第{k + 1}小学" if k < 6 else f"{short}县{town}乡第{k // len(_TOWNS) + 1}小学"
        rows.append(_school(rng, standard, name, "primary", int(rng.triangular(180, 1900, 700)), readiness))
    for k in range(n_junior):
        rows.append(_school(rng, standard, f"{short}县第{k + 1}中学", "junior",
                            int(rng.triangular(400, 1950, 1100)), readiness))
    for k in range(n_through):
        name = f"{short}县{_TOWNS[(k + 3) % len(_TOWNS)]}九年一贯制学校"
        rows.append(_school(rng, standard, name, "primary", int(rng.triangular(300, 1300, 700)), readiness))
        rows.append(_school(rng, standard, name, "junior", int(rng.triangular(200, 900, 450)), readiness))
    return rows


def to_table(schools: list[DemoSchool]) -> SchoolTable:
    return SchoolTable(names=tuple(s.name for s in schools), stages=np.array([s.stage for s in schools]),
                       figures={f: np.array([s.figures[f] for s in schools]) for f in NUMERIC_FIELDS})


def to_csv(schools: list[DemoSchool]) -> str:
    """The rows in the canonical CSV columns (STANDARD.md §5; equipment in 万元)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = canonical_columns()
    writer.writerow([c.header for c in cols])
    for s in schools:
        row = []
        for c in cols:
            if c.field == "name":
                row.append(s.name)
            elif c.field == "stage":
                row.append("小学" if s.stage == "primary" else "初中")
            elif c.field == "equipment_value":
                row.append(f"{s.figures[c.field] / 10000:.2f}")
            else:
                row.append(f"{s.figures[c.field]:g}")
        writer.writerow(row)
    return out.getvalue()


def prefecture_schools(standard: Standard, schedule: Schedule, seed: int = 2022) -> dict[str, list[DemoSchool]]:
    return {c.name: county_schools(standard, c.name, c.recognition_year, seed) for c in schedule.counties}
