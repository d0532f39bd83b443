"""What changed between two school tables of a county (两次上报的差异): schools added or removed,
and each figure that differs. Pure: two `SchoolTable`s in, the differences out."""

from __future__ import annotations

from dataclasses import dataclass, field

from inspection.columns import NUMERIC_FIELDS
from inspection.table import SchoolTable

Key = tuple[str, str]        # (school, stage)


@dataclass(frozen=True)
class TableDiff:
    added: list[Key] = field(default_factory=list)
    removed: list[Key] = field(default_factory=list)
    changed: list[tuple[str, str, str, float, float]] = field(default_factory=list)   # school, stage, field, old, new

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rows(table: SchoolTable) -> dict[Key, int]:
    return {(name, str(stage)): i for i, (name, stage) in enumerate(zip(table.names, table.stages))}


def diff_tables(old: SchoolTable, new: SchoolTable, *, tolerance: float = 1e-9) -> TableDiff:
    """Rows matched by school and stage; a figure differs when it moved by more than `tolerance`."""
    before, after = _rows(old), _rows(new)
    changed = []
    for key in before.keys() & after.keys():
        i, j = before[key], after[key]
        for f in NUMERIC_FIELDS:
            a, b = float(old.figures[f][i]), float(new.figures[f][j])
            if abs(a - b) > tolerance:
                changed.append((*key, f, a, b))
    order = {k: n for n, k in enumerate([*after, *before])}
    return TableDiff(added=sorted(after.keys() - before.keys(), key=order.get),
                     removed=sorted(before.keys() - after.keys(), key=order.get),
                     changed=sorted(changed, key=lambda c: (order[(c[0], c[1])], NUMERIC_FIELDS.index(c[2]))))
