"""The verdict letter (督导评估意见书): rendered by `inspection.documents` (another issue) when present.

SEAM: this module only asks the documents package for a PDF of the county's case under the
verdict's document number and keeps the path on the verdict. If the package (or one of the names
below) is missing, no letter is made and `render_verdict_letter` returns None; the verdict, its
number and the stage change stand either way, and a later re-run renders the missing letter.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from inspection.db import audit, data_dir
from inspection.db.models import County, ReviewVerdict
from inspection.services.context import Context

_SERIAL = re.compile(r"〔(\d{4})〕(\d+)号$")
_renderer = None   # one PdfRenderer per process: fonts and CSS load once (STACK-NOTES, WeasyPrint)


def _documents():
    try:
        from inspection.documents.letter import Deadlines, build_letter, issue_for
        from inspection.documents.letter_layout import letter_document
        from inspection.documents.pdf import PdfRenderer
        from inspection.documents.sources import case_from_database
    except ImportError:
        return None
    return Deadlines, build_letter, issue_for, letter_document, PdfRenderer, case_from_database


def letters_available() -> bool:
    return _documents() is not None


def render_verdict_letter(session: Session, ctx: Context, *, verdict: ReviewVerdict) -> str | None:
    """Write the verdict's letter as PDF under the data folder once; returns its path (None: no renderer)."""
    global _renderer
    if verdict.letter_path and Path(verdict.letter_path).exists():
        return verdict.letter_path
    parts = _documents()
    if parts is None:
        return None
    Deadlines, build_letter, issue_for, letter_document, PdfRenderer, case_from_database = parts
    county = session.get(County, verdict.county_id)
    year = int(verdict.evaluation_id and _evaluation_year(session, verdict) or ctx.as_of.year)
    case = case_from_database(session, ctx.standard, ctx.schedule, county=county.name, year=year)
    m = _SERIAL.search(verdict.document_number or "")
    issued = verdict.decided_at.date()
    issue = issue_for(ctx.schedule, serial=int(m.group(2)) if m else None, issued=issued)
    deadlines = Deadlines(issued + timedelta(days=30), verdict.deadline) if verdict.deadline else None
    document = letter_document(build_letter(case, issue, deadlines))
    _renderer = _renderer or PdfRenderer()
    folder = data_dir() / "letters" / county.code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{verdict.document_number or verdict.id}-督导评估意见书.pdf"
    _renderer.write(document, path)
    verdict.letter_path = str(path)
    session.add(verdict)
    audit.record(session, actor=ctx.actor, action="letter.render", entity="verdict", entity_id=verdict.id,
                 after={"path": path.name, "document_number": verdict.document_number})
    return str(path)


def _evaluation_year(session: Session, verdict: ReviewVerdict) -> int | None:
    from inspection.db.models import Evaluation
    evaluation = session.get(Evaluation, verdict.evaluation_id)
    return evaluation.year if evaluation else None
