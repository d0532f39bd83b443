"""Between stored figures and what pages draw."""

from __future__ import annotations

import numpy as np

from inspection.columns import NUMERIC_FIELDS
from inspection.rules import evaluate_resources
from inspection.standard import Standard
from inspection.table import SchoolTable


def rows_as_table(rows: list[dict]) -> SchoolTable:
    """A school table (engine units) from row dicts with `school`, `stage` and every numeric field."""
    return SchoolTable(names=tuple(r["school"] for r in rows), stages=np.array([r["stage"] for r in rows]),
                       figures={f: np.array([r[f] for r in rows], dtype=float) for f in NUMERIC_FIELDS})


def preview_problems(table: SchoolTable, standard: Standard) -> list[str]:
    """What the county should see before submitting: failing schools and coefficients over the limit."""
    if len(table) == 0:
        return ["没有读到任何完整的学校数据行。"]
    result = evaluate_resources(table, standard)
    problems = result.failure_sentences()
    problems += [s for s in result.cv_sentences() if "超过" in s]
    return problems
