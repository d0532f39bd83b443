"""Database tables (SQLModel). Schema changes go through Alembic (`inspection/db/migrations`)."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime) -> datetime:
    """A stored time as an aware UTC one (SQLite gives back naive datetimes; they were written in UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class County(SQLModel, table=True):
    """A county (县市) in a prefecture's schedule and where it stands in the cycle."""

    id: Optional[int] = Field(default=None, primary_key=True)
    code: str = Field(index=True, unique=True)
    name: str = Field(unique=True)
    short_name: Optional[str] = None
    prefecture: str
    recognition_year: int
    stage: str = "plan_submission"
    stage_since: datetime = Field(default_factory=utcnow)
    stage_deadline: Optional[date] = None   # due date carried into the stage (cycle.toml); None: by rule
    reviewer: Optional[str] = None          # the committee member the county's review is assigned to


class School(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("county_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    name: str


class SchoolYearFigures(SQLModel, table=True):
    """One school's figures for one stage and year (学校分学段年度数据), in the engine's units."""

    __table_args__ = (UniqueConstraint("school_id", "year", "stage"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    year: int
    stage: str
    students: float
    classes: Optional[float] = None   # 班级数 is optional in a school table (only G5 uses it)
    qualified_teachers: float
    backbone_teachers: float
    pe_teachers: float
    art_teachers: float
    teaching_area: float
    sports_area: float
    equipment_value: float
    multimedia_rooms: float
    rented_sports_area: Optional[float] = 0.0   # 租用校外体育场馆 (方案三（三）), counted towards R5
    submission_id: Optional[int] = Field(default=None, foreign_key="submission.id")


class CountyIndicatorValue(SQLModel, table=True):
    """A county's own figure for one county-level indicator and year (县级指标数值), as declared in its
    县级指标 sheet or on the web form, with where it came from; the latest declaration stands."""

    __table_args__ = (UniqueConstraint("county_id", "year", "indicator_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    year: int
    indicator_id: str
    value: Optional[dict] = Field(default=None, sa_column=Column(JSON))   # {"v": number | text | bool | {…}}
    evidence: str = ""
    source: str = ""                   # file, sheet, row and column; or 网页填报 with the user
    submission_id: Optional[int] = Field(default=None, foreign_key="submission.id")
    provenance: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    updated_by: str = ""
    updated_at: datetime = Field(default_factory=utcnow)


class StandardVersion(SQLModel, table=True):
    """A standard file in force, recorded with its content hash so an evaluation names its rules."""

    id: str = Field(primary_key=True)
    title: str
    sha256: str
    loaded_at: datetime = Field(default_factory=utcnow)


class Submission(SQLModel, table=True):
    """A document a county submitted, kept as sent and identified by its SHA-256."""

    __table_args__ = (UniqueConstraint("county_id", "sha256"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    kind: str = "self_assessment"
    filename: str
    sha256: str = Field(index=True)
    size: int
    stored_path: str
    uploaded_by: str
    uploaded_at: datetime = Field(default_factory=utcnow)
    status: str = "received"  # received → ingested | report → evaluated → queued → reviewed
    error: Optional[str] = None
    year: Optional[int] = None  # the school year its figures are for
    # The evaluation of its figures. No foreign key on purpose: adding one to an existing SQLite
    # table means rebuilding it under rows that reference it (migration 0003).
    evaluation_id: Optional[int] = None
    scan: Optional[dict] = Field(default=None, sa_column=Column(JSON))  # veto scan: findings, declarations
    # What reading its school table noted: {"notes": [...] (nine-year splits), "excluded": [{name, stage,
    # reason, row}] (rows the method leaves out)}, so an evaluation from the database says it too.
    reading: Optional[dict] = Field(default=None, sa_column=Column(JSON))


class ExtractedValue(SQLModel, table=True):
    """A figure read from a submission, with its provenance and any reviewer correction."""

    id: Optional[int] = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    school: str
    stage: str
    field: str
    value: float
    raw: str
    page: Optional[int] = None
    table_no: Optional[int] = None
    row: int
    column: str
    corrected_value: Optional[float] = None
    corrected_by: Optional[str] = None
    correction_reason: Optional[str] = None


class Evaluation(SQLModel, table=True):
    """One evaluation of a county's figures against a standard version, with its full result.

    `input_sha256` hashes the figures evaluated: the same inputs under the same standard are one row.
    """

    __table_args__ = (UniqueConstraint("county_id", "year", "kind", "standard_id", "input_sha256"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    year: int
    kind: str  # monitoring | self_assessment | prefecture
    standard_id: str = Field(foreign_key="standardversion.id")
    input_sha256: str
    outcome: str
    resource_passed: bool
    result: dict = Field(default_factory=dict, sa_column=Column(JSON))
    created_by: str = "system"
    created_at: datetime = Field(default_factory=utcnow)


class Finding(SQLModel, table=True):
    """A problem an evaluation found: a failing school, a CV over its limit, an unmet or vetoed item."""

    id: Optional[int] = Field(default=None, primary_key=True)
    evaluation_id: int = Field(foreign_key="evaluation.id", index=True)
    kind: str  # school | cv | indicator | veto
    code: str
    school: Optional[str] = None
    stage: Optional[str] = None
    message: str
    message_en: str = ""       # the same in English, where the service has it (veto findings); else ""
    status: str = "open"
    decided_by: Optional[str] = None
    reason: Optional[str] = None


class StageEvent(SQLModel, table=True):
    """A county's move from one stage of the cycle to another."""

    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    from_stage: Optional[str] = None
    to_stage: str
    actor: str
    at: datetime = Field(default_factory=utcnow)
    reason: str = ""
    deadline: Optional[datetime] = None


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(unique=True, index=True)
    display_name: str = ""
    password_hash: str
    role: str  # committee | county | observer
    county_id: Optional[int] = Field(default=None, foreign_key="county.id")
    active: bool = True


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained record of every change: who, when, what, before/after, why."""

    seq: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow)
    actor: str
    action: str
    entity: str
    entity_id: str = ""
    before: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict] = Field(default=None, sa_column=Column(JSON))
    reason: str = ""
    prev_hash: str = Field(unique=True)  # a second event on the same parent is a fork: refused
    hash: str = Field(unique=True)


class DocumentSerial(SQLModel, table=True):
    """The last number issued for a document prefix and year (喀教督〔2026〕N号)."""

    prefix: str = Field(primary_key=True)
    year: int = Field(primary_key=True)
    last: int = 0


class ReviewVerdict(SQLModel, table=True):
    """A committee's verdict on one self-assessment submission (地区督导评估结论), with its letter.

    One per submission and level: re-running the flow finds it instead of deciding twice.
    """

    __table_args__ = (UniqueConstraint("submission_id", "level"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    submission_id: int = Field(foreign_key="submission.id")
    evaluation_id: Optional[int] = Field(default=None, foreign_key="evaluation.id")
    level: str = "prefecture"
    decision: str  # approve | return | veto
    target_stage: str
    actor: str
    reason: str = ""
    deadline: Optional[date] = None
    document_number: Optional[str] = None  # e.g. 喀教督〔2025〕3号
    letter_path: Optional[str] = None
    decided_at: datetime = Field(default_factory=utcnow)


class AccountabilityCase(SQLModel, table=True):
    """An accountability case (问责案件): why it was opened, the rectification deadline, escalations.

    `key` makes opening idempotent: one case per county, kind and occasion (a year, a verdict).
    """

    __table_args__ = (UniqueConstraint("county_id", "kind", "key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    kind: str  # missed_recognition_year | slide_after_recognition | overdue_rectification
    key: str
    reason: str
    opened_by: str
    opened_at: datetime = Field(default_factory=utcnow)
    deadline: date
    level: int = 0
    status: str = "open"  # open | closed
    closed_by: Optional[str] = None
    closed_at: Optional[datetime] = None
    close_reason: Optional[str] = None
    details: Optional[dict] = Field(default=None, sa_column=Column(JSON))


class MonitoringLedger(SQLModel, table=True):
    """A county's yearly monitoring: met/unmet ledgers (已达标台账/未达标台账) and progress report data."""

    __table_args__ = (UniqueConstraint("county_id", "year"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    year: int
    evaluation_id: int = Field(foreign_key="evaluation.id")
    ledgers: dict = Field(default_factory=dict, sa_column=Column(JSON))
    progress: dict = Field(default_factory=dict, sa_column=Column(JSON))
    updated_at: datetime = Field(default_factory=utcnow)


class SignInFailure(SQLModel, table=True):
    """A failed sign-in, kept in the database so a lockout holds across server processes and hosts."""

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(index=True)          # as typed, lower-cased
    at: datetime = Field(default_factory=utcnow)


class WebSession(SQLModel, table=True):
    """A local account's browser session (docs/ui.md): only the SHA-256 of the cookie's token is kept.

    Valid while `revoked_at` is empty, `expires_at` is in the future and the account is active.
    """

    id: Optional[int] = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True, index=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    revoked_at: Optional[datetime] = None


class RoundLease(SQLModel, table=True):
    """Who is submitting a county's self-assessment round now (one at a time, 一县一轮).

    Taken before the first document is stored and given back when the round ends, so a second
    submission for the county at the same moment is refused with who holds it, instead of both
    being read and one silently replacing the other. A holder killed without giving it back is
    recognised by its process id on the same host, elsewhere by age (`INSPECTION_LEASE_MINUTES`)."""

    county_id: int = Field(primary_key=True, foreign_key="county.id")
    holder: str
    host: str
    pid: int
    token: str
    since: datetime = Field(default_factory=utcnow)


class IssuedDocument(SQLModel, table=True):
    """The register of issued documents (发文登记簿): one row, one number, per document issued.

    `basis` says what the document is issued on (a county's evaluation, a year's evaluations, a
    verdict): rendering it again, in PDF or DOCX, finds this row and prints the same number and date;
    a new number is taken only for a new basis (a new evaluation, a new verdict)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    number: str = Field(index=True)                 # 喀教督〔2026〕3号
    prefix: str
    year: int
    serial: int
    kind: str                                       # letter | rectification | accountability | report | verdict
    title: str
    county_id: Optional[int] = Field(default=None, foreign_key="county.id")
    basis: str = Field(unique=True)
    content_sha256: str                             # of what the document states (its evaluations' results)
    issued_on: date
    issued_by: str
    created_at: datetime = Field(default_factory=utcnow)


class Thread(SQLModel, table=True):
    """A question the committee asks a county (问询) about a figure, an indicator or a finding, with
    the county's answers, closed by the committee with a decision (处理意见)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    subject_kind: str                               # figure | indicator | finding | general
    subject: str                                    # what it is about, in words (学校、数据项；指标；问题)
    subject_ref: str = ""                           # a machine reference (finding id, "school|stage|field")
    status: str = "open"                            # open | answered | closed
    opened_by: str
    opened_at: datetime = Field(default_factory=utcnow)
    decision: str = ""
    closed_by: str = ""
    closed_at: Optional[datetime] = None


class ThreadMessage(SQLModel, table=True):
    """One message of a thread: the question, an answer (with a corrected file, if any), a note."""

    id: Optional[int] = Field(default=None, primary_key=True)
    thread_id: int = Field(foreign_key="thread.id", index=True)
    author: str
    role: str                                       # committee | county
    body: str
    submission_id: Optional[int] = Field(default=None, foreign_key="submission.id")
    at: datetime = Field(default_factory=utcnow)


class Notification(SQLModel, table=True):
    """Something a user should see (站内通知): an upload, a verdict, a question or an answer. One row
    per recipient, so each user's unread count is theirs."""

    id: Optional[int] = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    kind: str                                       # upload | verdict | question | answer | closed
    text: str
    county_id: Optional[int] = Field(default=None, foreign_key="county.id")
    page: str = ""                                  # where to look (a page's address)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: Optional[datetime] = None
    mailed: bool = False
class SavedPlan(SQLModel, table=True):
    """A what-if plan a county or the committee saved (推演方案), one row per version of a named plan.

    `body` is the plan's JSON (`inspection.planning_whatif.WhatIfPlan`); `outcome` what it gave when
    saved (verdict, CVs, cost left); `attached_to` says whether it is part of the county's annual plan
    (`annual_plan`) or of a rectification (`rectification`, with `case_id`), which a notice can cite."""

    __table_args__ = (UniqueConstraint("county_id", "name", "version"),)

    id: Optional[int] = Field(default=None, primary_key=True)
    county_id: int = Field(foreign_key="county.id", index=True)
    name: str
    version: int
    year: int                                       # the year planned for
    body: dict = Field(sa_column=Column(JSON, nullable=False))
    outcome: dict = Field(sa_column=Column(JSON, nullable=False))
    attached_to: Optional[str] = None               # annual_plan | rectification
    case_id: Optional[int] = None
    created_by: str
    created_at: datetime = Field(default_factory=utcnow)
