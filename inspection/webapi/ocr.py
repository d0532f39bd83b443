"""Confirming a scan's OCR figures (扫描件识别数据的人工核对): what waits; a school's name or stage corrected.

A figure is confirmed through `correct_figure` (the same value confirms it, another corrects it; a
reason either way). A school's name read wrong is corrected here: its figures of that year and stage
move to the school of the right name (made if the county has none), audited as `figure.correct`
with field "name"; a stage read wrong likewise (field "stage"); the round is evaluated again. Until every one is confirmed, the committee's
verdict is refused (`services.review.unconfirmed_figures`).
"""

from __future__ import annotations

from sqlmodel import select

from inspection.access import Principal
from inspection.db import audit, digests
from inspection.db.models import School
from inspection.errors import InspectionError
from inspection.services.review import unconfirmed_figures
from inspection.webapi._base import CountyRef, acting
from inspection.webapi.review import correctable_row, reevaluate
from inspection.webapi.submit import need_reason


def ocr_to_confirm(principal: Principal, county: CountyRef = None) -> list[dict]:
    """The county's OCR figures waiting for a person: school, stage, field, header, page, row, raw,
    confidence, box (PDF points on the page), reasons, file and submission id."""
    with acting(principal, "county.figures", county) as (session, _, row):
        return unconfirmed_figures(session, county=row)


def ocr_cell_image(principal: Principal, submission_id: int, *, page: int, box) -> bytes:
    """The scanned cell's picture (PNG) from the county's stored file, rendered in the sandbox."""
    from inspection.db.models import Submission
    from inspection.ingest import Limits
    from inspection.ingest.pdf_reader import scanned_cell_png
    from inspection.services.submissions import original
    with acting(principal, "app.use") as (session, _, _row):
        sub = session.get(Submission, submission_id)
        if sub is None:
            raise InspectionError(f"没有编号为{submission_id}的材料。", f"no submission {submission_id}.")
        county_id = sub.county_id
    with acting(principal, "documents.view", county_id) as (session, _, _row):
        sub = session.get(Submission, submission_id)
        return scanned_cell_png(original(sub).read_bytes(), sub.filename, int(page), box, Limits.from_env())


def correct_school_name(principal: Principal, county: CountyRef, *, year: int, school: str, stage: str,
                        name: str, reason: str) -> dict:
    """The school read as `school` is `name` (its row of `year` and `stage`); audited, re-evaluated."""
    name, reason = name.strip(), need_reason(reason)
    if not name:
        raise InspectionError("请填写学校名称。", "give the school's name.")
    with acting(principal, "figure.correct", county) as (session, me, row):
        fig = correctable_row(session, me, row, year, school, stage)
        if name != school:
            target = session.exec(select(School).where(School.county_id == row.id, School.name == name)).first()
            if target is None:
                target = School(county_id=row.id, name=name)
                session.add(target)
                session.flush()
            elif _has_row(session, target.id, year, stage, fig):
                raise InspectionError(f"{name}已有{year}年该学段的数据，不能合并。",
                                      f"{name} already has figures for {year} and this stage.")
            old = fig.school_id
            fig.school_id = target.id
            session.add(fig)
            session.flush()
            _drop_if_empty(session, old)
        return _recorded(session, me, row, (year, school, stage), "name", school, name, reason)


def correct_school_stage(principal: Principal, county: CountyRef, *, year: int, school: str, stage: str,
                         new_stage: str, reason: str) -> dict:
    """The row read as `school`'s `stage` is its `new_stage` (primary | junior); audited, re-evaluated.
    The same stage confirms it."""
    if new_stage not in ("primary", "junior"):
        raise InspectionError("学段应为小学或初中。", "the stage is primary or junior.")
    reason = need_reason(reason)
    with acting(principal, "figure.correct", county) as (session, me, row):
        fig = correctable_row(session, me, row, year, school, stage)
        if new_stage != stage:
            if _has_row(session, fig.school_id, year, new_stage, fig):
                raise InspectionError(f"{school}已有{year}年该学段的数据，不能更改。",
                                      f"{school} already has figures for {year} and that stage.")
            fig.stage = new_stage
            session.add(fig)
            session.flush()
        return _recorded(session, me, row, (year, school, stage), "stage", stage, new_stage, reason)


def _recorded(session, me, row, where: tuple[int, str, str], field: str, before: str, after: str,
              reason: str) -> dict:
    """The correction audited (as `figure.correct`, which `unconfirmed_figures` reads) and the year
    evaluated again."""
    year, school, stage = where
    audit.record(session, actor=me.username, action="figure.correct", entity="county", entity_id=row.id,
                 before={"value": before}, after={"year": year, "school": school, "stage": stage, "field": field,
                                                  "value": after, "digest": digests.school_figures(session, row.id, year)},
                 reason=reason)
    evaluation = reevaluate(session, me, row, year)
    return {"evaluation_id": evaluation.id, "outcome": evaluation.outcome, "before": before, "after": after}


def _has_row(session, school_id: int, year: int, stage: str, fig) -> bool:
    from inspection.db.models import SchoolYearFigures
    return session.exec(select(SchoolYearFigures).where(
        SchoolYearFigures.school_id == school_id, SchoolYearFigures.year == year,
        SchoolYearFigures.stage == stage, SchoolYearFigures.id != fig.id)).first() is not None


def _drop_if_empty(session, school_id: int) -> None:
    """A school made only by a misread name goes once its last figures have moved."""
    from inspection.db.models import SchoolYearFigures
    if session.exec(select(SchoolYearFigures).where(SchoolYearFigures.school_id == school_id)).first() is None:
        session.delete(session.get(School, school_id))
        session.flush()
