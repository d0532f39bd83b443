"""Demo data: plausible school tables and county-level figures for a prefecture's counties,
reproducible from a seed.

Counties due later are further from the standard; every county is shortest on sports grounds
and equipment (the plan's own diagnosis, 方案一), and some schools are nine-year schools. A county
whose year has passed has rectified its schools, and one due next year has prepared them
(`schools_ready`). County-level figures: every county reports them, one of them short; the survey
and the quality monitoring come only nearer a county's year (`county_figures`).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np

from inspection.columns import NUMERIC_FIELDS
from inspection.standard import Schedule, Standard
from inspection.table import SchoolTable, table_csv

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


def schools_ready(recognition_year: int, year: int) -> bool:
    """Whether a county's schools meet the standard in `year`'s figures: after its year (rectified)
    or in the year before it (prepared). Its self-assessment table is the unimproved one."""
    return year > recognition_year or year == recognition_year - 1


def _school(rng: random.Random, standard: Standard, name: str, stage: str, students: int,
            readiness: float, ready: bool = False) -> DemoSchool:
    thresholds = {i.formula.numerator[0]: (i, i.threshold[stage]) for i in standard.resource_indicators}
    # Classes of 36–44 students on average (rounded up), within the 45/50 limit of G5.
    figures: dict[str, float] = {"students": float(students),
                                 "classes": float(max(1, math.ceil(students / rng.uniform(36, 44))))}
    lagging = {"sports_area": 0.88, "equipment_value": 0.92, "teaching_area": 0.97}
    for field in NUMERIC_FIELDS:
        if field in figures:
            continue
        if field == "art_teachers":
            continue
        if field == "rented_sports_area":     # the demo counties rent no venues
            figures[field] = 0.0
            continue
        ind, thr = thresholds[field]
        factor = readiness * lagging.get(field, 1.0) * rng.gauss(1.08, 0.09)
        if ready:
            factor = max(factor, 1.02)
        needed = thr * students / ind.formula.scale * factor
        whole = math.ceil if ready else round     # a ready school's people and rooms never round below
        if field == "pe_teachers":
            pe = max(0, whole(needed * 0.45))
            figures["pe_teachers"] = float(pe)
            figures["art_teachers"] = float(max(0, whole(needed) - pe))
        elif ind.formula.scale == 100:
            figures[field] = float(max(0, whole(needed)))
        elif field == "equipment_value":
            figures[field] = round(needed / 10000, 2) * 10000
        else:
            figures[field] = float(round(needed))
    return DemoSchool(name, stage, figures)


def county_schools(standard: Standard, county: str, recognition_year: int, seed: int = 2022,
                   ready: bool = False) -> list[DemoSchool]:
    """The demo school rows for one county (one row per school and stage); `ready`: every figure at
    least at its threshold (a county that has rectified or prepared its schools)."""
    rng = random.Random(f"{seed}:{county}")
    n_primary, n_junior, n_through = COUNTY_SIZES.get(county, (30, 8, 3))
    # How schools write their county: 塔什库尔干县第1小学, 喀什市第1小学.
    short = county if county.endswith("市") else county.replace("塔吉克自治县", "县")
    readiness = _readiness(recognition_year)
    rows: list[DemoSchool] = []
    for k in range(n_primary):
        town = _TOWNS[k % len(_TOWNS)]
        name = f"{short}第{k + 1}小学" if k < 6 else f"{short}{town}乡第{k // len(_TOWNS) + 1}小学"
        rows.append(_school(rng, standard, name, "primary", int(rng.triangular(180, 1900, 700)), readiness, ready))
    for k in range(n_junior):
        rows.append(_school(rng, standard, f"{short}第{k + 1}中学", "junior",
                            int(rng.triangular(400, 1950, 1100)), readiness, ready))
    for k in range(n_through):
        name = f"{short}{_TOWNS[(k + 3) % len(_TOWNS)]}九年一贯制学校"
        rows.append(_school(rng, standard, name, "primary", int(rng.triangular(300, 1300, 700)), readiness, ready))
        rows.append(_school(rng, standard, name, "junior", int(rng.triangular(200, 900, 450)), readiness, ready))
    return rows


# County-level figures the demo counties report. 巴楚县's physical-fitness pass rate is short of 95 %.
# The social-recognition survey (S1) is run from a county's recognition year on, and a county takes
# part in the quality monitoring (Q9, Q9b) from two years before it: until then those stay blank.
SHORT_OF = {"巴楚县": {"K1": 94.2}}


def _not_yet(ind_id: str, recognition_year: int, year: int) -> bool:
    if ind_id == "S1":
        return year < recognition_year
    return ind_id in ("Q9", "Q9b") and recognition_year - year > 2


def county_figures(standard: Standard, county: str, recognition_year: int, year: int,
                   seed: int = 2022) -> dict[str, object]:
    """A county's county-level figures for `year` as it would fill the 县级指标 sheet: {id: value}
    (是/否, a grade, a number, {"primary": …, "junior": …}, {year: amount}); computed ones omitted."""
    rng = random.Random(f"{seed}:{county}:county")
    out: dict[str, object] = {}
    for ind in standard.county_indicators:
        if ind.computed:
            continue
        if _not_yet(ind.id, recognition_year, year):
            continue
        if ind.id in SHORT_OF.get(county, {}):
            out[ind.id] = SHORT_OF[county][ind.id]
        elif ind.judged:
            out[ind.id] = True
        elif ind.comparator == "grade":
            out[ind.id] = ind.scale[min(len(ind.scale) - 1, ind.scale.index(ind.threshold) + rng.randint(0, 1))]
        elif ind.multi_year:
            base = rng.uniform(8000, 30000) if ind.unit == "万元" else rng.uniform(12000, 16000)
            out[ind.id] = {str(year - ind.years + 1 + k): round(base * (1 + 0.04 * k), 1) for k in range(ind.years)}
        elif ind.comparator in ("<=", "<"):
            out[ind.id] = 0.0 if ind.comparator == "<=" else round(float(ind.threshold) * 0.6, 3)
        elif isinstance(ind.threshold, dict):
            out[ind.id] = {s: min(100.0, t + (0 if t >= 100 else round(rng.uniform(0.5, 3), 1)))
                           for s, t in ind.threshold.items()}
        elif ind.unit.startswith("%"):
            t = float(ind.threshold)
            out[ind.id] = t if t >= 100 else min(100.0, round(t + rng.uniform(0.3, 4), 1))
        else:
            out[ind.id] = round(float(ind.threshold) * rng.uniform(1.02, 1.2), 2)
    return out


def to_table(schools: list[DemoSchool]) -> SchoolTable:
    return SchoolTable(names=tuple(s.name for s in schools), stages=np.array([s.stage for s in schools]),
                       figures={f: np.array([s.figures[f] for s in schools]) for f in NUMERIC_FIELDS})


def to_csv(schools: list[DemoSchool]) -> str:
    """The rows in the canonical CSV columns (STANDARD.md §5; equipment in 万元)."""
    return table_csv(to_table(schools))


def prefecture_schools(standard: Standard, schedule: Schedule, seed: int = 2022) -> dict[str, list[DemoSchool]]:
    return {c.name: county_schools(standard, c.name, c.recognition_year, seed) for c in schedule.counties}
