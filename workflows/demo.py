"""The demo: the twelve Kashgar counties taken through the cycle from the plan (2022) to `as_of`.

Each step runs on the date it would have happened, as the flows a prefecture runs: plans approved
(2022-06-30), a county's self-assessment in its recognition year (05-10) and the committee's verdict
(07-15), the accountability sweep each 1 January and on `as_of`, and this year's annual monitoring.
Figures and documents come from `inspection.demo` (seeded), so the same seed and date give the same
state; a second run changes nothing. With `as_of` = 2026-11-29, 泽普县 (2025) was returned for
rectification (2 failing schools) and is under accountability; the others are in annual monitoring.
"""

from __future__ import annotations

import time
from datetime import date

from sqlmodel import select

from inspection.cycle import Actor, load_cycle
from inspection.db import data_dir, init_database, repo, session_scope
from inspection.db.models import County, Finding, ReviewVerdict
from inspection.services import make_context
from inspection.services import demo as demo_data
from inspection.services.letters import letter_file
from inspection.services.stages import advance, stage_history

COMMITTEE = Actor("地区督导委员会委员", "committee")
PLAN_DAY = date(2022, 6, 30)


def _counties() -> list[County]:
    with session_scope() as session:
        rows = session.exec(select(County).order_by(County.recognition_year, County.code)).all()
        session.expunge_all()
        return list(rows)


def _seed(as_of: date, seed: int) -> None:
    """The schedule's counties, and each county's plan approved by its party committee (2022-06-30)."""
    with session_scope() as session:
        ctx = make_context("demo", as_of)
        repo.seed_schedule(session, schedule=ctx.schedule, actor="demo")
        repo.record_standard(session, standard=ctx.standard)
    if as_of < PLAN_DAY:
        return
    with session_scope() as session:
        ctx = make_context("demo", PLAN_DAY)
        for county in session.exec(select(County)).all():
            if county.stage == "plan_submission":
                demo_data.submit_plan(session, ctx, county=county, folder=data_dir() / "demo" / "plans")


def _verdict(county: County) -> ReviewVerdict | None:
    with session_scope() as session:
        verdict = session.exec(select(ReviewVerdict).where(ReviewVerdict.county_id == county.id)
                               .order_by(ReviewVerdict.id)).first()
        session.expunge_all()
        return verdict


def _recognition_round(county: County, as_of: date, seed: int, letters: bool, log: list) -> None:
    """Self-assessment in the county's year, the committee's verdict, and onward if approved.

    Each step is taken unless its result is already recorded, so a demo killed anywhere (between a
    verdict and its letter, or in the middle of a round) completes when it is run again."""
    from workflows.prefecture_evaluation import prefecture_evaluation
    from workflows.self_assessment import self_assessment
    year = county.recognition_year
    sa_day, pe_day = date(year, 5, 10), date(year, 7, 15)
    verdict = _verdict(county)
    decided = verdict.decision if verdict is not None else None
    if sa_day <= as_of and verdict is None:     # re-running the flow completes a round cut short
        ctx = make_context("demo", sa_day)
        path = demo_data.self_assessment_table(ctx, county, year, data_dir() / "demo" / "self-assessment", seed)
        result = self_assessment(county=county.name, documents=[str(path)], actor=demo_data.county_user(county).name,
                                 as_of=sa_day.isoformat(), year=year)
        if result["status"] == "queued":
            log.append(f"{sa_day} {county.name} 县级自评：{result['evaluation']['failing_schools']}个学校学段未达标")
    if pe_day <= as_of and verdict is None:
        judged = _judgements(county)
        failing = _failing(county)
        decision = "return" if failing else "approve"
        reason = (f"{failing}个学校学段资源配置未达标，退回整改" if failing else "各项指标达到要求，推荐自治区评估")
        result = prefecture_evaluation(county=county.name, decision=decision, actor=COMMITTEE.name, reason=reason,
                                       as_of=pe_day.isoformat(), letter=letters, finding_decisions=judged)
        log.append(f"{pe_day} {county.name} 地区督导评估：{reason}（{result['document_number']}）")
        decided = decision
    elif verdict is not None and letters and letter_file(verdict) is None:
        from workflows import tasks
        tasks.render_letter(verdict.id, pe_day.isoformat())        # the verdict was recorded, its letter not
    if decided == "approve":
        _onward(county, as_of, log)


def _round_findings(county: County, kind: str) -> list[Finding]:
    with session_scope() as session:
        from inspection.services.stages import round_evaluation_id
        evaluation_id = round_evaluation_id(session, county=session.get(County, county.id))
        rows = session.exec(select(Finding).where(Finding.evaluation_id == evaluation_id, Finding.kind == kind,
                                                  Finding.status == "open")).all()
        session.expunge_all()
        return list(rows)


def _judgements(county: County) -> list[dict]:
    """The committee's decisions on the judged indicators: met, on the evidence the county cited."""
    return [{"finding_id": f.id, "status": "met", "reason": "经查阅佐证材料并实地核查，认定达标"}
            for f in _round_findings(county, "judgement")]


def _failing(county: County) -> int:
    """Failing school stages of the round (the verdict's reason in the demo)."""
    return len(_round_findings(county, "school"))


def _onward(county: County, as_of: date, log: list) -> None:
    """推荐自治区评估 → 国家认定 → 认定后复查, on the dates they would be recorded."""
    year = county.recognition_year
    for day, target, reason in ((date(year, 10, 20), "national_recognition", "自治区评估通过并公示，报请国家认定"),
                                (date(year, 12, 15), "post_recognition", "通过国家认定")):
        if day > as_of:
            return
        with session_scope() as session:
            row = session.get(County, county.id)
            if any(e.to_stage == target for e in stage_history(session, county=row)):
                continue                                             # recorded by an earlier run
            if advance(session, make_context("demo", day), county=row, target=target, actor=COMMITTEE, reason=reason):
                log.append(f"{day} {county.name} {reason}")


def run_demo(as_of: date | None = None, seed: int = 2022, letters: bool = True) -> dict:
    """Run the cycle for every county up to `as_of` (today by default); returns the timeline and timings."""
    from workflows.accountability_sweep import accountability_sweep
    from workflows.annual_monitoring import annual_monitoring
    started = time.perf_counter()
    as_of = as_of or date.today()
    init_database()
    _seed(as_of, seed)
    log: list[str] = []
    for county in _counties():
        if date(county.recognition_year, 5, 10) <= as_of:
            _recognition_round(county, as_of, seed, letters, log)
    first_missed = min((c.recognition_year + 1 for c in _counties()), default=as_of.year + 1)
    for year in range(max(first_missed, PLAN_DAY.year + 1), as_of.year + 1):
        if date(year, 1, 1) < as_of:
            result = accountability_sweep(as_of=date(year, 1, 1).isoformat())
            log += _sweep_lines(f"{year}-01-01", result)
    with session_scope() as session:
        ctx = make_context("demo", as_of)
        for county in session.exec(select(County)).all():
            demo_data.seed_year_figures(session, ctx, county=county, year=as_of.year, seed=seed)
    monitored = annual_monitoring(year=as_of.year, as_of=as_of.isoformat())
    log.append(f"{as_of} 年度监测：{monitored['counties']}个县市，写入台账{monitored['written']}份")
    result = accountability_sweep(as_of=as_of.isoformat())
    log += _sweep_lines(str(as_of), result)
    return {"as_of": as_of.isoformat(), "log": log, "seconds": round(time.perf_counter() - started, 1)}


def _sweep_lines(day: str, result: dict) -> list[str]:
    """The sweep's action codes in the committee's words (kinds from cycle.toml; escalate:N)."""
    kinds = load_cycle().accountability.kinds
    def words(code: str) -> str:
        if code.startswith("escalate:"):
            return f"问责案件{code.split(':', 1)[1]}逾期升级"
        return f"立案：{kinds[code].zh}" if code in kinds else code
    return [f"{day} {county} 问责巡查：{'、'.join(words(c) for c in codes)}"
            for county, codes in result["actions"].items()]
