"""Core commands: evaluate, init, demo, status, audit verify."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Optional

import typer

from inspection.cli.common import STANDARD_OPT, app, audit_app, context, fail
from inspection.errors import InspectionError


@app.command()
def evaluate(file: Path = typer.Argument(..., help="学校数据表（CSV）"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON（STANDARD.md §5）"),
             standard: str = STANDARD_OPT) -> None:
    """评估一份学校数据表的资源配置指标。Evaluate a school table's resource indicators."""
    from inspection.evaluation import evaluation_json, evaluation_text
    from inspection.ingest import read_school_table
    from inspection.rules import evaluate_resources
    from inspection.standard import load_standard
    try:
        std = load_standard(standard)
        result = evaluate_resources(read_school_table(file, std), std)
    except InspectionError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(evaluation_json(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(evaluation_text(result))


@app.command()
def init() -> None:
    """创建或升级数据库。Create or migrate the database."""
    from inspection.db import database_url, init_database
    init_database()
    typer.echo(f"数据库已就绪 database ready: {database_url()}")


@app.command("demo")
def demo_cmd(seed: int = typer.Option(2022, help="随机种子，保证演示可复现"),
             as_of: Optional[str] = typer.Option(None, help="演示日期 YYYY-MM-DD（默认今天）"),
             standard: str = STANDARD_OPT) -> None:
    """载入喀什地区12个县市的演示数据并完成年度评估。Seed and evaluate the demo prefecture."""
    from inspection.db import database_url, init_database, session_scope
    from inspection.services import county_status, seed_demo
    started = time.perf_counter()
    try:
        ctx = context(standard, as_of, actor="demo")
        init_database()
        with session_scope() as session:
            summary = seed_demo(session, ctx, seed=seed)
            status = county_status(session, ctx)
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"演示数据已写入 {database_url()}（{sum(summary.values())} 个学校学段行，{len(summary)} 个县市）")
    _print_status(status)
    typer.echo(f"用时 {time.perf_counter() - started:.1f} 秒")


def _print_status(rows: list[dict]) -> None:
    typer.echo("县市\t创建年份\t阶段\t最近评估\t未达标学校")
    for r in rows:
        ev = r["latest_evaluation"] or {}
        verdict = {"met": "达标", "not_met": "未达标", "pending": "待补充", "vetoed": "不予认定"}.get(ev.get("outcome"), "—")
        typer.echo(f"{r['county']}\t{r['target_year']}\t{r['stage']}\t{ev.get('year', '—')} {verdict}\t"
                   f"{ev.get('failing_schools', '—')}/{ev.get('schools', '—')}")


@app.command()
def status(as_json: bool = typer.Option(False, "--json"), as_of: Optional[str] = typer.Option(None),
           standard: str = STANDARD_OPT) -> None:
    """各县市所处阶段与最近评估。Each county's stage and latest evaluation."""
    from inspection.db import init_database, session_scope
    from inspection.services import county_status
    try:
        ctx = context(standard, as_of)
        init_database()
        with session_scope() as session:
            rows = county_status(session, ctx)
    except InspectionError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_status(rows)


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计日志哈希链。Check the audit log's hash chain."""
    from inspection.db import init_database, session_scope
    from inspection.db.audit import verify_chain
    init_database()
    with session_scope() as session:
        report = verify_chain(session)
    if report.ok:
        typer.echo(f"审计日志完整：{report.events} 条记录 audit chain intact ({report.events} events)")
        return
    typer.echo(f"审计日志被篡改：第 {report.broken_at} 条记录起哈希链断裂 "
               f"audit chain broken at event {report.broken_at}", err=True)
    raise typer.Exit(1)
