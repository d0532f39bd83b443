"""Submissions (上报材料): upload → kept by SHA-256 and recorded → read into the county's figures →
scanned for veto conditions with the rest of the round on submission, through the same services
the flows use (`inspection.services`).

Statuses (the services'): received → ingested (a school table) | report (a document without one) →
evaluated → queued → reviewed; `rejected` marks a school table that could not be read, with the
reason the county must fix.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import Callable

from sqlmodel import select

from inspection.access import Principal
from inspection.columns import NUMERIC_FIELDS
from inspection.db import session_scope
from inspection.db.models import County, School, SchoolYearFigures, Submission
from inspection.errors import AccessDenied, InspectionError, ReadError
from inspection.ingest.pdf_reader import OCR_PROGRESS
from inspection.services import ingest_submission, leases, store_submission
from inspection.services.notifications import notify
from inspection.services.submissions import confirm_county, original, reject_submission
from inspection.webapi._base import CountyRef, acting, context
from inspection.webapi.tables import preview_problems, rows_as_table

log = logging.getLogger("inspection.webapi")
Progress = Callable[[float, str], None]

MAX_UPLOAD_MB = 50          # keep equal to server.maxUploadSize in .streamlit/config.toml
ACCEPTED = (".csv", ".xlsx", ".docx", ".pdf")

def _check_file(filename: str, data: bytes) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix not in ACCEPTED:
        raise ReadError(f"{filename}：不支持“{suffix or '无扩展名'}”文件。请上传 {'、'.join(s[1:].upper() for s in ACCEPTED)} 文件。",
                        f"{filename}: unsupported file type '{suffix}'; upload CSV, XLSX, DOCX or PDF.", file=filename)
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise ReadError(f"{filename} 过大（{len(data) / 1048576:.1f} MB），单个文件不能超过 {MAX_UPLOAD_MB} MB。"
                        "请压缩图片或拆分后再上传。",
                        f"{filename} is too large ({len(data) / 1048576:.1f} MB); the limit is {MAX_UPLOAD_MB} MB.",
                        file=filename)
    if not data:
        raise ReadError(f"{filename} 是空文件，请重新选择文件。", f"{filename} is empty.", file=filename)
    return suffix


def _safe_name(filename: str) -> str:
    """The name as the county gave it, without a folder or control characters, at most 200 characters."""
    return (re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", Path(filename).name).strip() or "upload")[-200:]


def upload(principal: Principal, county: CountyRef = None, *, filename: str, data: bytes,
           kind: str = "self_assessment", progress: Progress | None = None) -> dict:
    """Keep the file, record the submission, read and scan it; returns `submission_detail`.

    The same file sent twice by a county is one submission (`duplicate` is then True).
    """
    _check_file(filename, data)
    step = progress or (lambda *_: None)
    step(0.05, "正在保存文件…")
    with tempfile.TemporaryDirectory(prefix="junheng-upload-") as tmp:
        path = Path(tmp) / f"upload{Path(filename).suffix.lower()[:10]}"   # the user's name is kept as data
        path.write_bytes(data)
        with acting(principal, "documents.upload", county) as (session, me, row):
            leases.ensure_free(session, county=row)      # the county's round is being submitted elsewhere
            sub, created = store_submission(session, context(me.username), county=row, path=path, kind=kind,
                                            actor=me.username, filename=_safe_name(filename))
            sub_id = sub.id
            if created and me.role == "county":
                notify(session, role="committee", county_id=row.id, kind="upload", page="review_queue",
                       text=f"{row.name}上传了《{sub.filename}》。")
    if created:
        read(principal, sub_id, progress=step)
    step(1.0, "完成")
    return {**submission_detail(principal, sub_id), "duplicate": not created}


NOT_FOUND = ("没有找到这份材料。", "no such submission.")


def _county_of(principal: Principal, submission_id: int) -> int:
    """The county a submission belongs to. Another county's submission is answered exactly as a
    missing one, so a county cannot learn which submission ids exist."""
    with session_scope() as session:
        sub = session.get(Submission, submission_id)
        if sub is None or (principal.role == "county" and sub.county_id != principal.county_id):
            raise AccessDenied(*NOT_FOUND)
        return sub.county_id


def read(principal: Principal, submission_id: int, *, progress: Progress | None = None) -> None:
    """Read the school table into the county's figures (or mark the document a report, or rejected
    with the reason). Long for a big PDF: run it as a job. Veto scanning happens for the whole round
    when the county submits (`submit_for_review`), as in the self-assessment flow."""
    step = progress or (lambda *_: None)
    county_id = _county_of(principal, submission_id)
    step(0.15, "正在读取文件（100页的PDF约需一两分钟）…")
    error = None
    pages = OCR_PROGRESS.set(lambda done, total: step(0.15 + 0.7 * done / max(total, 1),
                                                      f"正在识别扫描页：第{done}页，共{total}页…"))
    try:   # an unreadable file is rejected by the service itself, with the reason, in this transaction
        with acting(principal, "documents.upload", county_id) as (session, me, _):
            sub = session.get(Submission, submission_id)
            ingest_submission(session, context(me.username), submission=sub, actor=me.username)
    except InspectionError as exc:   # e.g. a bad 县级指标 figure: the county fixes it and uploads again
        error = exc
    finally:
        OCR_PROGRESS.reset(pages)
    if error is not None:
        with acting(principal, "documents.upload", county_id) as (session, me, _):
            reject_submission(session, submission=session.get(Submission, submission_id), zh=error.zh,
                              en=error.en, actor=me.username)
        return
    step(0.9, "正在保存读取结果…")


def confirm_own_table(principal: Principal, submission_id: int, *, reason: str,
                      progress: Progress | None = None) -> dict:
    """The county confirms a table flagged as another county's is its own (with a reason the
    committee will see); it is then read. Returns `submission_detail`."""
    county_id = _county_of(principal, submission_id)
    with acting(principal, "documents.upload", county_id) as (session, me, row):
        leases.ensure_free(session, county=row)
        confirm_county(session, submission=session.get(Submission, submission_id), reason=reason, actor=me.username)
    read(principal, submission_id, progress=progress)
    return {**submission_detail(principal, submission_id), "duplicate": False}


def figures_of(session, submission: Submission) -> list[dict]:
    """The figures stored from this submission (still in force), one dict per school and stage."""
    rows = session.exec(select(School.name, SchoolYearFigures).join(
        SchoolYearFigures, SchoolYearFigures.school_id == School.id).where(
        SchoolYearFigures.submission_id == submission.id).order_by(SchoolYearFigures.id)).all()
    return [{"school": name, "stage": fig.stage, **{f: getattr(fig, f) for f in NUMERIC_FIELDS}}
            for name, fig in rows]


def submission_detail(principal: Principal, submission_id: int) -> dict:
    """A submission with the table read from it, the problems found and its veto scan."""
    county_id = _county_of(principal, submission_id)
    with acting(principal, "documents.view", county_id) as (session, me, row):
        sub = session.get(Submission, submission_id)
        rows = figures_of(session, sub)
        problems = [sub.error] if sub.error and sub.status in ("rejected", "superseded") else []
        problems += [f"⚠ {w}" for w in (sub.reading or {}).get("warnings", [])]
        if rows:
            problems += preview_problems(rows_as_table(rows), context(me.username).standard)
        scan = sub.scan or {}
        vetoes = [_suspected(f, context(me.username).standard) for f in scan.get("findings", [])]
        return {"id": sub.id, "county": row.name, "county_id": row.id, "filename": sub.filename,
                "sha256": sub.sha256, "size": sub.size, "status": sub.status, "error": sub.error,
                "error_en": _error_en(sub),
                "uploaded_by": sub.uploaded_by, "uploaded_at": sub.uploaded_at, "kind": sub.kind, "year": sub.year,
                "rows": rows, "problems": problems, "vetoes": vetoes,
                "mismatch": (sub.reading or {}).get("mismatch") if sub.status == "rejected" else None,
                "confirmed": (sub.reading or {}).get("county_confirmed"),
                "note": sub.error if sub.status == "report" else None}


def _error_en(sub: Submission) -> str | None:
    """Why a file was refused or replaced, in English (kept beside the Chinese when it was written)."""
    return (sub.reading or {}).get("error_en")


def _suspected(found: dict, standard) -> dict:
    """A veto scan's hit in both languages ({"zh", "en"}), the condition named by its wording, never its code."""
    veto = next((v for v in standard.vetoes if v.id == found.get("condition")), None)
    quote, page = found.get("quote", ""), found.get("page")
    return {"zh": f"疑似不予认定情形（{veto.wording if veto else '其他情形'}）：“{quote}”" + (f"（第{page}页）" if page else ""),
            "en": f"Possible veto condition ({veto.wording_en if veto and veto.wording_en else 'another condition'}): "
                  f"“{quote}”" + (f" (page {page})" if page else "")}


def list_submissions(principal: Principal, county: CountyRef = None) -> list[dict]:
    with acting(principal, "documents.view", county) as (session, _, row):
        subs = session.exec(select(Submission).where(Submission.county_id == row.id)
                            .order_by(Submission.uploaded_at.desc(), Submission.id.desc())).all()
        return [_brief(s, row.name) for s in subs]


def _brief(sub: Submission, county: str) -> dict:
    return {"id": sub.id, "county": county, "county_id": sub.county_id, "filename": sub.filename,
            "status": sub.status, "uploaded_by": sub.uploaded_by, "uploaded_at": sub.uploaded_at,
            "size": sub.size, "error": sub.error if sub.status in ("rejected", "superseded") else None,
            "error_en": _error_en(sub) if sub.status in ("rejected", "superseded") else None, "kind": sub.kind,
            "warnings": (sub.reading or {}).get("warnings", [])}


def stored_file(principal: Principal, submission_id: int) -> tuple[str, bytes]:
    """The file exactly as the county sent it."""
    county_id = _county_of(principal, submission_id)
    with acting(principal, "documents.view", county_id) as (session, _, _row):
        sub = session.get(Submission, submission_id)
        return sub.filename, original(sub).read_bytes()


WHOLE_PAGE = (0.0, 0.0, 1e4, 1e4)     # a box larger than any page: the page itself


def document_page(principal: Principal, submission_id: int, page: int) -> bytes:
    """One page of a submitted PDF as a picture (PNG), rendered in the limited reader process, so
    the committee can open a cited page (自评报告第12页) beside the finding that cites it."""
    from inspection.ingest import Limits
    from inspection.ingest.pdf_reader import scanned_cell_png
    county_id = _county_of(principal, submission_id)
    with acting(principal, "documents.view", county_id) as (session, _, _row):
        sub = session.get(Submission, submission_id)
        name = sub.filename
        if not name.lower().endswith(".pdf"):
            raise InspectionError(f"{name} 不是 PDF，没有页码。", f"{name} is not a PDF.")
        data = original(sub).read_bytes()
    if page < 1:
        raise InspectionError("页码应从1开始。", "pages start at 1.")
    try:
        return scanned_cell_png(data, name, int(page), WHOLE_PAGE, Limits.from_env())
    except ReadError:
        raise InspectionError(f"{name} 没有第{page}页，或该页无法显示。",
                              f"{name} has no page {page}, or it cannot be shown.") from None


def review_queue(principal: Principal) -> list[dict]:
    """Documents of rounds queued for the committee, then documents that could not be read."""
    with acting(principal, "review.queue") as (session, _, _row):
        names = {c.id: c.name for c in session.exec(select(County))}
        subs = session.exec(select(Submission).where(Submission.status.in_(("queued", "rejected")))
                            .order_by(Submission.uploaded_at)).all()
        rows = [_brief(s, names[s.county_id]) for s in subs]
    return sorted(rows, key=lambda r: r["status"] != "queued")
