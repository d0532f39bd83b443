"""What a county's figures for a year are, as one SHA-256, so the audit log can say what they should be.

Every event that changes a county's school figures (`figures.store`, `figures.prune`,
`figure.correct`) or its county-level figures (`county_figures.store`) records the digest of that
county-year's figures after the change; `audit.verify_state` recomputes the digests from the tables
and reports each county-year whose figures no longer match the last event that set them — a figure
changed in the tables directly, bypassing the program, is found.
"""

from __future__ import annotations

import hashlib
import json

from sqlmodel import Session, select

from inspection.columns import NUMERIC_FIELDS
from inspection.db.models import CountyIndicatorValue, School, SchoolYearFigures


def _sha(rows: list) -> str:
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                                     default=str).encode()).hexdigest()


def school_figures(session: Session, county_id: int, year: int) -> str:
    """The digest of a county's school figures for a year (every school and stage, every figure)."""
    rows = session.exec(select(School.name, SchoolYearFigures).join(
        SchoolYearFigures, SchoolYearFigures.school_id == School.id).where(
        School.county_id == county_id, SchoolYearFigures.year == year)).all()
    return _sha(sorted([name, fig.stage, [getattr(fig, f) for f in NUMERIC_FIELDS]] for name, fig in rows))


def county_figures(session: Session, county_id: int, year: int) -> str:
    """The digest of a county's declared county-level figures for a year (value and evidence)."""
    rows = session.exec(select(CountyIndicatorValue).where(CountyIndicatorValue.county_id == county_id,
                                                           CountyIndicatorValue.year == year)).all()
    return _sha(sorted([r.indicator_id, r.value, r.evidence] for r in rows))


# The audit actions that set a county-year's figures, and the digest each records.
SETS = {"figures.store": school_figures, "figures.prune": school_figures, "figure.correct": school_figures,
        "county_figures.store": county_figures}
