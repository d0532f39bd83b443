"""Flow: a county's self-assessment (县级自评) — documents in, the committee's review queue out."""

from __future__ import annotations

import workflows.settings  # noqa: F401  (Prefect home and analytics, before prefect loads)

from prefect import flow

from inspection.errors import BusyError
from workflows import tasks


@flow(name="self-assessment", description="县级自评：材料入库 → 读取学校数据 → 扫描不予认定情形 → 核算 → 提请地区督导评估",
      validate_parameters=True)
def self_assessment(county: str, documents: list[str], actor: str, as_of: str | None = None,
                    year: int | None = None, county_confirmed: str | None = None) -> dict:
    """Store each document (by hash), read the tables (a file that cannot be read is refused with the
    reason, and then the round stops there: status "refused", stage unchanged), enter 县级自评, scan
    the documents together for vetoes (contradictions between them count), evaluate, and
    queue the county for the committee. Re-running with the same documents changes nothing; a run
    that crashed part-way completes from where it stopped (each step skips what is already done).

    A second round of the same county while this one runs is refused before it stores anything
    (status "busy", with the error to show; the CLI exits 75), naming who holds the county's round.

    A table that looks like another county's is refused like an unreadable one, unless
    `county_confirmed` gives the county's reason for keeping it (the committee is shown it).

    Vetoes are scanned before the evaluation so their findings are part of it (the issue's order was
    evaluate → scan; the result is the same, the evaluation is written once).
    """
    as_of = as_of or tasks.today()
    try:
        with tasks.county_round(county, actor, as_of):     # one round of a county at a time
            return _round(county, documents, actor, as_of, year, county_confirmed)
    except BusyError as exc:      # the county is told, nothing was stored: an answer, not a failed run
        return {"county": county, "status": "busy", "error": {"zh": exc.zh, "en": exc.en}}


def _round(county: str, documents: list[str], actor: str, as_of: str, year: int | None,
           county_confirmed: str | None = None) -> dict:
    stored = [tasks.store_document(county, path, "self_assessment", actor, as_of, year) for path in documents]
    if stored and all(s["status"] in ("queued", "reviewed") for s in stored):
        return {"county": county, "status": "already_submitted", "submissions": stored}
    read = {s["submission_id"]: tasks.ingest_document(s["submission_id"], actor, as_of) for s in stored}
    if county_confirmed:   # the county keeps a table flagged as another county's, with its reason
        for sid in [sid for sid, r in read.items() if r.get("mismatch")]:
            tasks.confirm_county(sid, county_confirmed, actor, as_of)
            read[sid] = tasks.ingest_document(sid, actor, as_of)
    refused = [r for r in read.values() if r["status"] == "rejected"]
    if refused:   # nothing of the round moves on: the stage stays, the refused files are not part of it
        return {"county": county, "status": "refused", "submissions": stored,
                "errors": [{"file": r["filename"], **r["error"]} for r in refused]}
    tasks.enter_self_assessment(county, actor, as_of)
    rows = {sid: r["rows"] for sid, r in read.items()}
    vetoes = tasks.scan_round(county, actor, as_of)
    evaluation = tasks.evaluate_round(county, actor, as_of)
    queued = tasks.queue_for_review(county, as_of)
    return {"county": county, "status": "queued", "submissions": stored, "rows": rows, "veto_findings": vetoes,
            "evaluation": evaluation, "moved_to_review": queued}
