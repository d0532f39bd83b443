"""Enrolment by grade (分年级在校生) and its projection to a later year (在校生推算), for planning.

The school table gives each row's students, not its grades (STANDARD.md §5), so a row's students are
spread evenly over its stage's grades (an assumption, `Cohorts.from_table`). A year on, each grade
moves up one (cohort progression); the first primary grade is the intake, last year's first grade
× (1 + intake growth); the first junior grade is the county's primary leavers × the transition rate,
shared between junior rows as their first grades are. The rates are data (the cost file's
[projection], or the CLI), or fitted from several years' totals (`fit_intake_growth`). Pure and
deterministic: the same table and assumptions give the same projection.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from inspection.table import SchoolTable

GRADES = {"primary": 6, "junior": 3}      # 六三学制 (Xinjiang): the number of grades per stage


@dataclass(frozen=True)
class Cohorts:
    """`grades[i]` row i's students by grade (first grade first), a float array of its stage's length."""

    table: SchoolTable
    grades: tuple[np.ndarray, ...]

    @classmethod
    def from_table(cls, table: SchoolTable) -> "Cohorts":
        students = table.figures["students"]
        return cls(table, tuple(np.full(GRADES[str(s)], students[i] / GRADES[str(s)])
                                for i, s in enumerate(table.stages)))

    def students(self) -> np.ndarray:
        return np.array([g.sum() for g in self.grades])

    def to_table(self) -> SchoolTable:
        """The table with each row's students the sum of its grades, rounded to whole students."""
        return replace(self.table, figures={**self.table.figures, "students": np.round(self.students())})

    def advanced(self, intake_growth: float, transition: float = 1.0) -> "Cohorts":
        """One year on (see the module's docstring)."""
        junior = self.table.stages == "junior"
        leavers = sum(g[-1] for g, j in zip(self.grades, junior) if not j)
        firsts = np.array([g[0] for g, j in zip(self.grades, junior) if j])
        shares = firsts / firsts.sum() if len(firsts) and firsts.sum() > 0 else np.full(len(firsts), 1 / max(len(firsts), 1))
        out, n = [], 0
        for g, j in zip(self.grades, junior):
            if j:
                intake, n = leavers * transition * shares[n], n + 1
            else:
                intake = g[0] * (1 + intake_growth)
            out.append(np.concatenate([[intake], g[:-1]]))
        return Cohorts(self.table, tuple(out))


def project_cohorts(table: SchoolTable, years: int, intake_growth: float, transition: float = 1.0) -> Cohorts:
    """The table's cohorts carried `years` ahead (none back: a year before the table is the table)."""
    cohorts = Cohorts.from_table(table)
    for _ in range(max(years, 0)):
        cohorts = cohorts.advanced(intake_growth, transition)
    return cohorts


def fit_intake_growth(totals: dict[int, float]) -> float | None:
    """The yearly growth of a county's students fitted (least squares on the logarithm) from several
    years' totals {year: students}; None with fewer than two years."""
    years = sorted(y for y, v in totals.items() if v > 0)
    if len(years) < 2:
        return None
    slope = np.polyfit(np.array(years, dtype=float), np.log([totals[y] for y in years]), 1)[0]
    return float(np.expm1(slope))
