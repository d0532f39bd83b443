"""Cycle commands for scripted use: advance, submit, verdict, monitor, sweep, decide, close-case.

`advance`, `decide` and `close-case` are single database changes; `submit`, `verdict`, `monitor` and
`sweep` run the Prefect flows (ephemeral mode unless PREFECT_API_URL points at a server). Who acts is
given by `--actor` and `--role`; the state machine refuses what that role may not do.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Optional

import typer

from inspection.cli.common import app, as_of_date, fail
from inspection.errors import BusyError, InspectionError

ROLE_OPT = typer.Option("committee", "--role", help="角色：county（县级用户）| committee（督导委员会委员）| system")
ACTOR_OPT = typer.Option(..., "--actor", help="办理人姓名（记入审计日志）")
AS_OF_OPT = typer.Option(None, "--as-of", help="日期 YYYY-MM-DD（默认今天）")


def quiet_prefect() -> None:
    """Before a command runs flows: Prefect logs warnings only (set PREFECT_LOGGING_LEVEL to see more),
    and not the traceback of an error the command itself tells the user in both languages (a refused
    stage change, a busy county): Prefect logs every exception a flow or task raises, with its trace.
    Without a configured server, Prefect's temporary one is started here, tied to this command."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if _told not in logger.filters:
            logger.addFilter(_told)
    from workflows.server import tie_temporary_server
    tie_temporary_server()          # no temporary server outlives a killed command


def _told(record) -> bool:
    """False (drop) for a record about an InspectionError: the CLI prints that error itself. Prefect
    logs it twice: with the exception (and its trace), and as the run's final state, in words only
    ("… exception StageError: …"), so the second is known by the error's class name."""
    error = record.exc_info[1] if record.exc_info else None
    if isinstance(error, InspectionError):
        return False
    if record.levelno < logging.ERROR:
        return True
    # The classes now, not at import: the ingest errors are defined once a reader has loaded.
    names = "|".join(c.__name__ for c in _subclasses(InspectionError))
    return not re.search(rf"\b(?:{names})\b[:(]", record.getMessage())


def _subclasses(cls: type) -> list[type]:
    return [cls] + [s for sub in cls.__subclasses__() for s in _subclasses(sub)]


def _echo(data: dict) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _unit(actor: str, as_of: Optional[str]):
    from inspection.db import init_database, session_scope
    from inspection.services import make_context
    init_database()
    return session_scope(), make_context(actor, as_of_date(as_of))


@app.command()
def advance(county: str = typer.Argument(..., help="县市名称或代码"),
            to: str = typer.Option(..., "--to", help="目标阶段 id（见 inspection/standards/cycle.toml）"),
            actor: str = ACTOR_OPT, role: str = ROLE_OPT,
            reason: str = typer.Option("", "--reason", help="理由"),
            deadline: Optional[str] = typer.Option(None, "--deadline", help="期限 YYYY-MM-DD（默认按周期规则）"),
            as_of: Optional[str] = AS_OF_OPT) -> None:
    """变更县市所处阶段（经状态机校验）。Move a county to another stage, if the cycle allows it."""
    from datetime import date

    from inspection.cycle import Actor
    from inspection.db import repo
    from inspection.services import advance as advance_county
    try:
        scope, ctx = _unit(actor, as_of)
        with scope as session:
            row = repo.get_county(session, name=county)
            who = Actor(actor, role, row.name if role == "county" else None)
            event = advance_county(session, ctx, county=row, target=to, actor=who, reason=reason,
                                   deadline=date.fromisoformat(deadline) if deadline else None)
            out = {"county": row.name, "stage": row.stage, "changed": event is not None,
                   "deadline": row.stage_deadline}
    except (InspectionError, ValueError) as exc:
        fail(exc if isinstance(exc, InspectionError) else InspectionError(str(exc), str(exc)))
    _echo(out)


@app.command()
def submit(county: str = typer.Argument(..., help="县市名称或代码"),
           files: list[Path] = typer.Argument(..., help="上报材料（学校数据表、自评报告等）"),
           kind: str = typer.Option("self_assessment", "--kind",
                                    help="材料种类：self_assessment | development_plan | rectification_report | other"),
           actor: str = ACTOR_OPT, year: Optional[int] = typer.Option(None, "--year", help="数据年度"),
           as_of: Optional[str] = AS_OF_OPT,
           confirm_county: Optional[str] = typer.Option(
               None, "--confirm-county", metavar="理由",
               help="确认被判为其他县市的学校数据表确属本县，并说明理由（委员会可见）")) -> None:
    """县级上报材料。自评材料运行县级自评流程；其他材料只入库。Submit documents (self-assessment runs its flow)."""
    if kind != "self_assessment":
        from inspection.db import repo
        from inspection.services import store_submission
        try:
            scope, ctx = _unit(actor, as_of)
            with scope as session:
                row = repo.get_county(session, name=county)
                out = [{"file": f.name, "submission_id": sub.id, "created": created} for f in files
                       for sub, created in [store_submission(session, ctx, county=row, path=f, kind=kind,
                                                             actor=actor, year=year)]]
        except InspectionError as exc:
            fail(exc)
        _echo({"county": county, "kind": kind, "submissions": out})
        return
    quiet_prefect()
    from workflows.self_assessment import self_assessment
    try:
        result = self_assessment(county=county, documents=[str(f.resolve()) for f in files], actor=actor,
                                 as_of=as_of_date(as_of).isoformat(), year=year, county_confirmed=confirm_county)
    except InspectionError as exc:
        fail(exc)
    if result["status"] == "busy":      # another round of the county is running: nothing stored
        fail(BusyError(**result["error"]))
    if result["status"] == "refused":   # the county's files to fix: nothing moved on
        for e in result["errors"]:
            typer.echo(f"错误：{e['zh']}\nError: {e['en']}", err=True)
        typer.echo(f"{county}的自评材料未被接受（{len(result['errors'])}个文件无法读取），阶段未变更。"
                   f"请修改后重新提交。\nThe submission was refused; the stage is unchanged.", err=True)
        raise typer.Exit(2)
    _echo(result)


@app.command()
def verdict(county: str = typer.Argument(..., help="县市名称或代码"),
            decision: str = typer.Option(..., "--decision", help="approve（通过）| return（退回整改）| veto（不予认定）"),
            actor: str = ACTOR_OPT, reason: str = typer.Option(..., "--reason", help="结论理由"),
            deadline: Optional[str] = typer.Option(None, "--deadline", help="整改期限 YYYY-MM-DD"),
            letter: bool = typer.Option(True, "--letter/--no-letter", help="出具督导评估意见书"),
            as_of: Optional[str] = AS_OF_OPT) -> None:
    """地区督导评估结论（运行流程）。Record the committee's verdict (runs the prefecture flow)."""
    quiet_prefect()
    from workflows.prefecture_evaluation import prefecture_evaluation
    try:
        result = prefecture_evaluation(county=county, decision=decision, actor=actor, reason=reason,
                                       as_of=as_of_date(as_of).isoformat(), deadline=deadline, letter=letter)
    except InspectionError as exc:
        fail(exc)
    _echo(result)


@app.command()
def monitor(year: Optional[int] = typer.Option(None, "--year", help="监测年度（默认今年）"),
            as_of: Optional[str] = AS_OF_OPT) -> None:
    """年度监测：全部县市（运行流程）。Annual monitoring of every county (runs the flow)."""
    quiet_prefect()
    from workflows.annual_monitoring import annual_monitoring
    result = annual_monitoring(year=year, as_of=as_of_date(as_of).isoformat())
    _echo({k: v for k, v in result.items() if k != "results"})


@app.command()
def sweep(as_of: Optional[str] = AS_OF_OPT) -> None:
    """问责巡查（运行流程）。The accountability sweep (runs the flow)."""
    quiet_prefect()
    from workflows.accountability_sweep import accountability_sweep
    _echo(accountability_sweep(as_of=as_of_date(as_of).isoformat()))


@app.command()
def decide(finding: int = typer.Argument(..., help="问题编号"),
           status: str = typer.Option(..., "--status", help="confirmed | dismissed | resolved | open；定性指标（judgement）为 met | not_met"),
           actor: str = ACTOR_OPT, reason: str = typer.Option(..., "--reason"),
           as_of: Optional[str] = AS_OF_OPT) -> None:
    """督导委员会核定一个问题（含疑似不予认定情形）。The committee decides on a finding (an override)."""
    from inspection.cycle import Actor
    from inspection.services import decide_finding
    try:
        scope, ctx = _unit(actor, as_of)
        with scope as session:
            changed = decide_finding(session, ctx, finding_id=finding, status=status,
                                     actor=Actor(actor, "committee"), reason=reason)
    except InspectionError as exc:
        fail(exc)
    _echo({"finding": finding, "status": status, "changed": changed})


@app.command("close-case")
def close_case_cmd(case: int = typer.Argument(..., help="问责案件编号"), actor: str = ACTOR_OPT,
                   reason: str = typer.Option(..., "--reason"), as_of: Optional[str] = AS_OF_OPT) -> None:
    """问责案件结案。Close an accountability case once rectified."""
    from inspection.cycle import Actor
    from inspection.services import close_case
    try:
        scope, ctx = _unit(actor, as_of)
        with scope as session:
            changed = close_case(session, ctx, case_id=case, actor=Actor(actor, "committee"), reason=reason)
    except InspectionError as exc:
        fail(exc)
    _echo({"case": case, "closed": changed})
