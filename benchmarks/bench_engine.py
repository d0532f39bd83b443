"""Rule engine at nation scale: ~2,900 counties, ~200,000 school-stage rows.

Times `evaluate_resources` (indicators, met flags, the school rule, student-weighted CVs per county
and stage) against a plain NumPy computation of the same numbers, and checks they agree.
Run: `.venv/bin/python benchmarks/bench_engine.py` (or `make bench`).
"""

from __future__ import annotations

import time

import numpy as np

from inspection.columns import NUMERIC_FIELDS
from inspection.rules import evaluate_resources
from inspection.standard import load_standard
from inspection.table import SchoolTable

COUNTIES, ROWS, REPEATS = 2900, 200_000, 7


def synthetic_table(rng: np.random.Generator) -> SchoolTable:
    counties = np.sort(rng.integers(0, COUNTIES, ROWS))
    stages = np.where(rng.random(ROWS) < 0.7, "primary", "junior")
    students = rng.integers(50, 2000, ROWS).astype(float)
    figures = {"students": students, "classes": np.ceil(students / 45)}
    per_student = {"qualified_teachers": 0.05, "backbone_teachers": 0.011, "pe_teachers": 0.005,
                   "art_teachers": 0.005, "teaching_area": 5.0, "sports_area": 8.5,
                   "equipment_value": 2300.0, "multimedia_rooms": 0.025}
    for name, rate in per_student.items():
        figures[name] = np.round(students * rate * rng.normal(1.05, 0.2, ROWS).clip(0.2), 2)
    assert set(figures) == set(NUMERIC_FIELDS)
    return SchoolTable(names=tuple(f"S{i}" for i in range(ROWS)), stages=stages, figures=figures,
                       counties=counties)


def numpy_floor(t: SchoolTable, thr: np.ndarray, scales, numerators, min_met: int, floor: float,
                limits: np.ndarray):
    """The same indicators, flags and CVs written directly in NumPy: the speed floor."""
    f, p = t.figures, t.figures["students"]
    values = np.column_stack([sum(f[n] for n in num) * s / p for num, s in zip(numerators, scales)])
    met = values >= thr * (1 - 1e-9)  # the engine's tolerance: a value at its threshold is met
    passed = (met.sum(1) >= min_met) & (values >= floor * thr * (1 - 1e-9)).all(1)
    groups = t.counties * 2 + (t.stages == "junior")
    n = COUNTIES * 2
    total = np.bincount(groups, p, n)
    cv = np.empty((n, values.shape[1]))
    for k in range(values.shape[1]):
        mean = np.bincount(groups, p * values[:, k], n) / total
        var = np.bincount(groups, p * (values[:, k] - mean[groups]) ** 2, n) / total
        cv[:, k] = np.sqrt(var) / mean
    ok = cv <= limits[:, None]
    return values, passed, cv, ok


def best_of(fn, repeats=REPEATS) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return min(times), out


def main() -> None:
    standard = load_standard("kashgar-2022")
    table = synthetic_table(np.random.default_rng(2022))
    inds = standard.resource_indicators
    junior = table.stages == "junior"
    thr = np.column_stack([np.where(junior, i.threshold["junior"], i.threshold["primary"]) for i in inds])
    limits = np.tile([standard.options.cv_limit["primary"], standard.options.cv_limit["junior"]], COUNTIES)
    args = (thr, [i.formula.scale for i in inds], [i.formula.numerator for i in inds],
            standard.options.school_min_met, standard.options.school_floor_ratio, limits)

    engine_s, result = best_of(lambda: evaluate_resources(table, standard))
    floor_s, (values, passed, cv, _) = best_of(lambda: numpy_floor(table, *args))

    np.testing.assert_allclose(result.values, values)
    assert (result.passed == passed).all()
    np.testing.assert_allclose(result.cv, cv[np.isfinite(cv[:, 0])], rtol=1e-9)
    print(f"rows {len(table):,}, counties {COUNTIES:,}, CV groups {len(result.group_labels):,}")
    print(f"evaluate_resources: {engine_s * 1000:.1f} ms (best of {REPEATS})")
    print(f"plain NumPy floor:  {floor_s * 1000:.1f} ms (best of {REPEATS})")
    print(f"ratio engine / floor: {engine_s / floor_s:.2f}x (target ≤ 3x)")


if __name__ == "__main__":
    main()
