"""Two school tables compared (两次上报的差异): rows by school and stage, figures one by one."""

import numpy as np

from inspection.columns import NUMERIC_FIELDS
from inspection.history import diff_tables
from inspection.table import SchoolTable


def _table(rows: dict[tuple[str, str], dict[str, float]]) -> SchoolTable:
    keys = list(rows)
    figures = {f: np.array([rows[k].get(f, 1.0) for k in keys], dtype=float) for f in NUMERIC_FIELDS}
    return SchoolTable(tuple(k[0] for k in keys), np.array([k[1] for k in keys]), figures)


def test_added_removed_and_changed_rows_are_named():
    old = _table({("一小", "primary"): {"students": 800}, ("二小", "primary"): {}, ("一中", "junior"): {}})
    new = _table({("一小", "primary"): {"students": 820, "classes": 2}, ("一中", "junior"): {},
                  ("三小", "primary"): {}})
    diff = diff_tables(old, new)
    assert diff.added == [("三小", "primary")] and diff.removed == [("二小", "primary")]
    assert diff.changed == [("一小", "primary", "students", 800.0, 820.0), ("一小", "primary", "classes", 1.0, 2.0)]
    assert diff_tables(new, new).empty
