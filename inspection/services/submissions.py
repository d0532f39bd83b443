"""Documents a county submits (上报材料): stored as sent, identified by SHA-256, read and scanned once.

Idempotent by construction: the same file for the same county is one `Submission` (unique county +
hash), reading and scanning skip a document already read or scanned.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path
from typing import Callable

from sqlmodel import Session, func, select

from inspection.db import audit, data_dir, repo
from inspection.county_check import Mismatch, check_county, county_names
from inspection.db.models import County, School, Submission
from inspection.errors import InspectionError, ReadError
from inspection.ingest import Limits, read_document
from inspection.ingest.safety import check_size_limit
from inspection.services.context import Context

DOCUMENT_KINDS = ("development_plan", "self_assessment", "rectification_report", "other")
log = logging.getLogger("inspection.services")


def stored_name(digest: str, filename: str) -> str:
    """The stored copy's name: fixed length (the hash and a short extension), whatever the user's name
    is — an 80-character Chinese name is 240 bytes, near the file system's 255. The user's name is data."""
    suffix = re.sub(r"[^a-z0-9.]", "", Path(filename).suffix.lower())[:10]
    return f"{digest[:32]}{suffix}"


def store_submission(session: Session, ctx: Context, *, county: County, path: str | Path, kind: str,
                     actor: str, year: int | None = None, filename: str | None = None) -> tuple[Submission, bool]:
    """Keep a copy of the file under the data folder and record it; returns (row, created).

    `filename` is the file's name as the user gave it (default: `path`'s own name)."""
    if kind not in ctx.cycle.documents:
        raise InspectionError(f"未知的材料种类：{kind}（可选：{'、'.join(ctx.cycle.documents)}）",
                              f"unknown document kind: {kind}", kind=kind)
    path = Path(path)
    filename = filename or path.name
    try:
        # Over the size limit, a file is refused before it is read into memory or kept (a 5 GB
        # upload is no document); any other unreadable file is kept, hashed, and rejected when read.
        check_size_limit(path.stat().st_size, filename, Limits.from_env())
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件 {filename}：{exc.strerror}", f"cannot read {filename}: {exc.strerror}",
                        file=filename) from exc
    digest = hashlib.sha256(data).hexdigest()
    existing = session.exec(select(Submission).where(Submission.county_id == county.id,
                                                     Submission.sha256 == digest)).first()
    if existing is not None:
        return existing, False
    folder = data_dir() / "submissions" / county.code
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / stored_name(digest, filename)
    _keep(data, digest, stored)
    row = Submission(county_id=county.id, kind=kind, filename=filename, sha256=digest, size=len(data),
                     stored_path=stored.relative_to(data_dir()).as_posix(), uploaded_by=actor, uploaded_at=ctx.now,
                     year=year or ctx.as_of.year)
    session.add(row)
    session.flush()
    audit.record(session, actor=actor, action="submission.upload", entity="submission", entity_id=row.id,
                 after={"county": county.name, "kind": kind, "filename": filename, "sha256": digest,
                        "size": len(data), "year": row.year, "effective": ctx.as_of.isoformat()})
    return row, True


def _keep(data: bytes, digest: str, stored: Path) -> None:
    """Write the copy under a temporary name and rename it, so a process killed mid-write leaves no
    partial file under the stored name (a later upload of the same file would trust it); a copy
    already there is kept only if it is this file."""
    if stored.exists() and hashlib.sha256(stored.read_bytes()).hexdigest() == digest:
        return
    part = stored.with_name(f"{stored.name}.{os.getpid()}.part")
    part.write_bytes(data)
    os.replace(part, stored)


def original(submission: Submission) -> Path:
    """The stored original, checked against its SHA-256 on every use: a copy that was changed, or is
    gone, is never read or served. Paths are kept relative to the data folder (so it can move); an
    absolute one (stored before) is used as it is."""
    path = Path(submission.stored_path)
    path = path if path.is_absolute() else data_dir() / path
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        raise InspectionError(f"{submission.filename} 的存档文件缺失（{submission.stored_path}），请联系系统管理员",
                              f"the stored copy of {submission.filename} is missing", file=submission.filename) from None
    if digest != submission.sha256:
        raise InspectionError(f"{submission.filename} 的存档文件已被改动（SHA-256 与提交时不符），已拒绝使用",
                              f"the stored copy of {submission.filename} was changed (SHA-256 differs); refused",
                              file=submission.filename)
    return path


def ingest_submission(session: Session, ctx: Context, *, submission: Submission, actor: str) -> int | None:
    """Read the school table and the county-level indicator table (县级指标) from a received document
    and store them as the county's figures for its year.

    Returns the school rows read (0 for a document with only county-level figures), or None for a
    document with neither (a report: kept, scanned). A document already read is skipped. The year's
    school table is replaced: schools it no longer lists go. A bad county-level figure is an error.
    """
    if submission.status != "received":
        return None
    try:
        document = read_document(original(submission), ctx.standard, name=submission.filename)
    except ReadError as exc:
        reject_submission(session, submission=submission, zh=exc.zh, en=exc.en, actor=actor)
        return None
    except Exception as exc:  # noqa: BLE001 — a parser's own failure is a damaged file to the county
        log.exception("reading submission %s (%s) failed", submission.id, submission.filename)
        reject_submission(session, submission=submission, zh=f"{submission.filename} {UNREADABLE_ZH}",
                          en=f"{submission.filename} could not be read ({type(exc).__name__})", actor=actor)
        return None
    sheet, table = document.county_sheet, document.table
    county = session.get(County, submission.county_id)
    confirmed = (submission.reading or {}).get("county_confirmed")
    mismatch = None if table is None else county_mismatch(session, ctx, county=county, document=document)
    if mismatch is not None and not confirmed:
        reject_submission(session, submission=submission, actor=actor, **mismatch_message(submission, county, mismatch))
        submission.reading = {**submission.reading, "mismatch": {"other": mismatch.other, "zh": mismatch.zh}}
        return None
    # What the committee must see about the file itself (active content, image-only pages, cid fonts).
    submission.reading = {"warnings": list(document.warnings)}
    if mismatch is not None:   # the county confirmed the table is its own: the committee sees that it did
        submission.reading = {"county_confirmed": confirmed, "warnings": [
            f"系统核对发现该表可能属于{mismatch.other}（{mismatch.zh}），{county.name}的"
            f"{confirmed['by']}确认为本县材料，理由：{confirmed['reason']}", *document.warnings]}
    if document.to_confirm:   # a scan's OCR figures a person must confirm before any verdict (待人工核对)
        submission.reading["to_confirm"] = [c.as_json() for c in document.to_confirm]
    if table is None and not (sheet and sheet.figures):
        if Path(submission.filename).suffix.lower() == ".csv":   # a CSV is a school table: the county fixes it
            reject_submission(session, submission=submission, zh=document.table_error.zh, en=document.table_error.en,
                              actor=actor)
            return None
        submission.status, submission.error = "report", getattr(document.table_error, "zh", None)
        session.add(submission)
        return None
    if sheet and sheet.figures:
        repo.store_county_figures(session, county=county, year=submission.year, figures=sheet.figures, actor=actor,
                                  submission_id=submission.id, provenance=sheet.provenance)
    if table is not None:
        # One school table a county and year: the county row is locked (PostgreSQL) so two tables read
        # at the same moment are stored one after the other, and the earlier one is superseded, never merged.
        session.exec(select(County).where(County.id == county.id).with_for_update()).one()
        supersede_tables(session, submission=submission, actor=actor)
        submission.reading = {**submission.reading, "notes": list(table.notes),
                              "excluded": [dict(e) for e in table.excluded]}
        repo.prune_school_table(session, county=county, year=submission.year,
                                keep={(n, str(s)) for n, s in zip(table.names, table.stages)}, actor=actor)
        repo.store_school_table(session, county=county, year=submission.year, table=table, actor=actor,
                                submission_id=submission.id)
    submission.status = "ingested"
    session.add(submission)
    rows = 0 if table is None else len(table)
    audit.record(session, actor=actor, action="submission.ingest", entity="submission", entity_id=submission.id,
                 before={"status": "received"},
                 after={"status": "ingested", "rows": rows, "year": submission.year,
                        "county_figures": len(sheet.figures) if sheet else 0})
    return rows


def county_mismatch(session: Session, ctx: Context, *, county: County, document) -> Mismatch | None:
    """Whether the document's school table is another county's (`inspection.county_check`)."""
    prefecture = ctx.schedule.prefecture.name
    names = {p.name: county_names(p.name, p.short_name, prefecture) for p in ctx.schedule.counties}
    names.setdefault(county.name, county_names(county.name, None, prefecture))
    schools = list(dict.fromkeys(document.table.names))
    registered: dict[str, set[str]] = {}
    for school, owner in session.exec(select(School.name, County.name).join(County, County.id == School.county_id)
                                      .where(School.name.in_(schools[:2000]))):
        registered.setdefault(school, set()).add(owner)
    own = session.exec(select(func.count(School.id)).where(School.county_id == county.id)).one()
    return check_county(county.name, names=names, schools=schools, registered=registered, own_on_record=own,
                        headings=[p.text for p in document.paragraphs])


def mismatch_message(submission: Submission, county: County, mismatch: Mismatch) -> dict:
    return {"zh": f"《{submission.filename}》看起来是{mismatch.other}的材料（{mismatch.zh}），不是{county.name}的，"
                  f"未读入，本县数据未改动。请核对后上传本县的表格；如确属本县，请选择“确认为本县材料”并说明理由。",
            "en": f"{submission.filename} looks like {mismatch.other}'s ({mismatch.en}), not {county.name}'s; "
                  f"it was not read and no figure changed. Upload your own table, or confirm it is yours with a reason."}


def confirm_county(session: Session, *, submission: Submission, reason: str, actor: str) -> Submission:
    """The county says a table flagged as another county's is its own: the reason is kept, the
    committee is shown it, and the file is read again (`ingest_submission`)."""
    mismatch = (submission.reading or {}).get("mismatch")
    if submission.status != "rejected" or not mismatch:
        raise InspectionError(f"《{submission.filename}》不需要确认归属。", f"{submission.filename} needs no confirmation.",
                              file=submission.filename)
    if not reason.strip():
        raise InspectionError("请说明理由（如“校名沿用原县名”）。", "Give a reason.", file=submission.filename)
    submission.status, submission.error = "received", None
    submission.reading = {"county_confirmed": {"reason": reason.strip(), "by": actor, "other": mismatch["other"]}}
    session.add(submission)
    audit.record(session, actor=actor, action="submission.confirm_county", entity="submission",
                 entity_id=submission.id, after={"reason": reason.strip(), "other": mismatch["other"],
                                                 "filename": submission.filename})
    return submission


UNREADABLE_ZH = ("无法读取（格式异常或已损坏）。请用 Excel/WPS 打开确认后另存为 XLSX 或 CSV 再上传；"
                 "仍有问题请联系地区督导室。")


def supersede_tables(session: Session, *, submission: Submission, actor: str) -> list[Submission]:
    """Earlier school tables of the same county and year still in a round are replaced by this one:
    marked superseded (kept, audited, no longer part of the round), and the county is told so."""
    earlier = session.exec(select(Submission).where(
        Submission.county_id == submission.county_id, Submission.year == submission.year,
        Submission.id != submission.id, Submission.status.in_(("ingested", "evaluated")))).all()
    replaced = [s for s in earlier if (s.reading or {}).get("excluded") is not None]   # it had a school table
    for old in replaced:
        old.status = "superseded"
        old.error = f"已被后提交的学校数据表《{submission.filename}》（#{submission.id}）替代"
        old.reading = {**(old.reading or {}),
                       "error_en": f"replaced by the later school table {submission.filename} (#{submission.id})"}
        session.add(old)
        audit.record(session, actor=actor, action="submission.supersede", entity="submission", entity_id=old.id,
                     after={"status": "superseded", "by": submission.id, "filename": old.filename})
    return replaced


def reject_submission(session: Session, *, submission: Submission, zh: str, en: str, actor: str) -> None:
    """A document that cannot be read is refused (rejected): kept as sent (by its hash) for the audit,
    never part of the round, with the reason the county must fix (naming the file as it named it)."""
    stored = Path(submission.stored_path).name
    submission.status = "rejected"
    submission.error = zh.replace(stored, submission.filename)
    submission.reading = {**(submission.reading or {}), "error_en": en.replace(stored, submission.filename)}
    session.add(submission)
    audit.record(session, actor=actor, action="submission.reject", entity="submission", entity_id=submission.id,
                 after={"status": "rejected", "error": submission.error, "error_en": en.replace(stored, submission.filename),
                        "filename": submission.filename, "sha256": submission.sha256})


Scanner = Callable[[list[Path], object], dict]


def veto_scanner() -> Scanner:
    """The ingest package's veto scan over a round's documents together (contradictions between
    documents are findings too), as STANDARD.md §5's JSON. A function, so tests can put another."""
    from inspection.ingest import read_document
    from inspection.ingest.scan import scan_documents, scan_json

    def scan(paths: list[Path], standard) -> dict:
        documents, skipped = [], []
        for path in paths:
            try:
                documents.append(read_document(path, standard))
            except ReadError as exc:
                skipped.append({"file": path.name, "reason": exc.zh})
        return {**scan_json(scan_documents(documents)), "skipped": skipped,
                "narrative": [d.source.file for d in documents if d.paragraphs]}
    return scan


def scan_round(session: Session, ctx: Context, *, submissions: list[Submission], actor: str) -> int:
    """Scan the round's documents for veto conditions once; each submission keeps its own findings.

    Returns the number of findings. Documents already scanned are not scanned again.
    """
    todo = [s for s in submissions if s.scan is None]
    if not todo:
        return sum(len(s.scan.get("findings", [])) for s in submissions)
    result = {**veto_scanner()([original(s) for s in todo], ctx.standard), "scanned": True}
    names = {Path(s.stored_path).name: s for s in todo}
    # What a letter may say was checked: the documents with narrative text (a school table alone has none).
    result["documents"] = [names[n].filename for n in result.get("narrative", []) if n in names]

    def belongs(item: dict, sub: Submission) -> bool:   # unattributed items go to the round's last document
        owner = names.get(item.get("file"))
        return owner is sub or (owner is None and sub is todo[-1])
    for sub in todo:
        sub.scan = {**result, "findings": [f for f in result.get("findings", []) if belongs(f, sub)],
                    "declarations": [d for d in result.get("declarations", []) if belongs(d, sub)]}
        session.add(sub)
        audit.record(session, actor=actor, action="submission.scan", entity="submission", entity_id=sub.id,
                     after={"findings": len(sub.scan["findings"]), "declarations": len(sub.scan["declarations"]),
                            "scanned": result["scanned"]})
    return sum(len(s.scan.get("findings", [])) for s in submissions)
