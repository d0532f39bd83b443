"""The verdict letter (督导评估意见书): the county's case rendered by `inspection.documents` as PDF
under the verdict's document number, its path kept on the verdict. Rendering once: a re-run finds
the file; a run that crashed before writing it renders it then.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from inspection.db import audit, data_dir, repo
from inspection.db.models import County, Evaluation, ReviewVerdict
from inspection.services.context import Context

_SERIAL = re.compile(r"〔(\d{4})〕(\d+)号$")


def render_verdict_letter(session: Session, ctx: Context, *, verdict: ReviewVerdict) -> str:
    """Write the verdict's letter as PDF under the data folder once; returns its path."""
    # Imported here: WeasyPrint costs half a second, paid only when a letter is written.
    from inspection.documents.render import shared_renderers
    done = letter_file(verdict)
    if done is not None:
        return str(done)
    county = session.get(County, verdict.county_id)
    path = data_dir() / "letters" / county.code / f"{verdict.document_number or verdict.id}-督导评估意见书.pdf"
    shared_renderers().write(verdict_letter(session, ctx, verdict=verdict), "pdf", path)
    verdict.letter_path = path.relative_to(data_dir()).as_posix()   # relative: the data folder may move
    session.add(verdict)
    audit.record(session, actor=ctx.actor, action="letter.render", entity="verdict", entity_id=verdict.id,
                 after={"path": path.name, "document_number": verdict.document_number})
    return str(path)


def verdict_letter(session: Session, ctx: Context, *, verdict: ReviewVerdict):
    """The verdict's letter as a document, for PDF and DOCX alike: its number and date are the
    register's row for the verdict (发文登记簿), so both formats, and every rendering, carry the same."""
    from inspection.documents.letter import Deadlines, build_letter, issue_for
    from inspection.documents.letter_layout import letter_document
    from inspection.documents.sources import case_from_database
    county = session.get(County, verdict.county_id)
    year = int(verdict.evaluation_id and _evaluation_year(session, verdict) or ctx.as_of.year)
    case = case_from_database(session, ctx.standard, ctx.schedule, county=county.name, year=year)
    entry = repo.registered(session, repo.verdict_basis(county, verdict.submission_id))
    if entry is not None:
        issue = issue_for(ctx.schedule, serial=entry.serial, issued=entry.issued_on)
    else:   # a verdict recorded before the register: its number as printed on it
        m = _SERIAL.search(verdict.document_number or "")
        issue = issue_for(ctx.schedule, serial=int(m.group(2)) if m else None, issued=verdict.decided_at.date())
    issued = issue.issued
    deadlines = Deadlines(issued + timedelta(days=30), verdict.deadline) if verdict.deadline else None
    return letter_document(build_letter(case, issue, deadlines))


def letter_file(verdict: ReviewVerdict) -> Path | None:
    """The verdict's written letter, if it is there (a relative path is under the data folder; an
    absolute one, stored before, is used as it is)."""
    if not verdict.letter_path:
        return None
    path = Path(verdict.letter_path)
    path = path if path.is_absolute() else data_dir() / path
    return path if path.exists() else None


def _evaluation_year(session: Session, verdict: ReviewVerdict) -> int | None:
    evaluation = session.get(Evaluation, verdict.evaluation_id)
    return evaluation.year if evaluation else None
