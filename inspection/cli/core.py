"""Core commands: evaluate, init, demo (the cycle as flows), status, audit verify."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from inspection.cli.common import STANDARD_OPT, app, audit_app, fail, write_file
from inspection.errors import InspectionError


@app.command()
def evaluate(file: Path = typer.Argument(..., help="学校数据表（CSV、XLSX、DOCX 或 PDF，按内容识别格式）；"
                                                    "工作簿含“县级指标”表时一并评估县级指标"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON（STANDARD.md §5）"),
             standard: str = STANDARD_OPT) -> None:
    """评估学校数据表与县级指标，给出四个方面的整体结论。Evaluate a county's table and county-level figures."""
    from inspection.evaluation import assessment_json, assessment_text
    from inspection.ingest import read_document
    from inspection.ingest.errors import UnconfirmedFiguresError
    from inspection.rules import assess
    from inspection.standard import load_standard
    try:
        std = load_standard(standard)
        document = read_document(file, std, require_table=True)
        if document.to_confirm:   # a scan's uncertain OCR figures: never evaluated unconfirmed
            raise UnconfirmedFiguresError.listing(document.source.file, document.to_confirm)
        declared = document.county_sheet.figures if document.county_sheet else {}
        result = assess(document.table, std, declared)
    except InspectionError as exc:
        fail(exc)
    if as_json:   # compact: indenting makes the encoder pure Python, seconds for a national table
        typer.echo(json.dumps(assessment_json(result), ensure_ascii=False, separators=(",", ":")))
    else:
        typer.echo(assessment_text(result))


@app.command()
def plan(file: Path = typer.Argument(..., help="学校数据表（CSV、XLSX、DOCX 或 PDF）"),
         county: str = typer.Option(..., "--county", help="县市名称"),
         year: Optional[int] = typer.Option(None, "--year", help="测算到的年度（按年级逐年推算在校生）"),
         as_json: bool = typer.Option(False, "--json", help="JSON：additions, cost_wan（STANDARD.md §5）"),
         costs: str = typer.Option("kashgar", "--costs", help="测算单价文件 id 或 TOML 路径"),
         table_year: Optional[int] = typer.Option(None, "--table-year", help="学校数据表的年度（默认今年）"),
         intake_growth: Optional[float] = typer.Option(None, "--intake-growth", help="一年级入学人数年增长率，如 0.02"),
         transition: Optional[float] = typer.Option(None, "--transition", help="小学毕业生升入县内初中的比例"),
         what_if_file: Optional[Path] = typer.Option(None, "--what-if", help="推演方案 JSON（补充、调整学生）：比较前后的结论、差异系数和剩余费用"),
         projected_table: Optional[Path] = typer.Option(None, "--projected-table",
                                                        help="把测算年度的学校数据表（推算在校生后）写入此 CSV：补充量即加在这张表上"),
         standard: str = STANDARD_OPT) -> None:
    """测算资源配置达标所需的最少补充（教师、校舍、场馆、设备、教室）及费用，以及校额、班额。The cheapest additions to pass."""
    from inspection.cli.common import as_of_date
    from inspection.ingest import read_school_table
    from inspection.planning import load_costs
    from inspection.planning_county import county_plan, county_plan_json, county_plan_text, default_assumptions
    from inspection.planning_whatif import read_what_if, what_if, what_if_text
    from inspection.standard import load_schedule, load_standard
    from inspection.table import table_csv
    try:
        std, unit_costs = load_standard(standard), load_costs(costs)
        load_schedule().county(county)
        table = read_school_table(file, std)
        assumptions = default_assumptions(unit_costs, table_year or as_of_date(None).year, year,
                                          intake_growth=intake_growth, transition=transition)
        result = county_plan(table, std, unit_costs, assumptions)
        variant = None if what_if_file is None else what_if(result.plan.table, std, unit_costs, read_what_if(what_if_file))
    except InspectionError as exc:
        fail(exc)
    if projected_table is not None:
        write_file(projected_table, table_csv(result.plan.table))
    if as_json:
        data = county_plan_json(result, std, unit_costs)
        typer.echo(json.dumps(data if variant is None else {**data, "what_if": variant.as_json()}, ensure_ascii=False, indent=2))
    else:
        typer.echo(county_plan_text(result, std, unit_costs) + ("" if variant is None else "\n" + what_if_text(variant)))


@app.command()
def rules(as_json: bool = typer.Option(False, "--json", help="JSON：每个暂定值的来源、位置、数值和原因"),
          standard: str = STANDARD_OPT) -> None:
    """列出规则数据中来源未明确的暂定值（待委员会确认）。List the provisional values of the rules in force."""
    from dataclasses import asdict

    from inspection.assumptions import PROVISIONAL, assumptions
    from inspection.cycle import load_cycle
    from inspection.standard import load_schedule, load_standard
    try:
        found = assumptions(load_standard(standard), load_cycle(), load_schedule())
    except InspectionError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps([asdict(a) for a in found], ensure_ascii=False, indent=2))
        return
    typer.echo(f"暂定值（{PROVISIONAL}）共{len(found)}项：")
    for a in found:
        typer.echo(f"· {a.where}：{a.value}\n    {a.why}")


@app.command()
def init() -> None:
    """创建或升级数据库。Create or migrate the database."""
    from inspection.db import init_database, shown_url
    init_database()
    typer.echo(f"数据库已就绪 database ready: {shown_url()}")


@app.command("demo")
def demo_cmd(seed: int = typer.Option(2022, help="随机种子，保证演示可复现"),
             as_of: Optional[str] = typer.Option(None, help="演示日期 YYYY-MM-DD（默认今天）"),
             letters: bool = typer.Option(True, "--letters/--no-letters",
                                          help="出具督导评估意见书PDF")) -> None:
    """以Prefect流程把喀什地区12个县市的督导周期推进到今天。Run the cycle for the demo prefecture."""
    from inspection.cli.common import as_of_date
    from inspection.cli.cycle import quiet_prefect
    from inspection.db import session_scope, shown_url
    quiet_prefect()
    from workflows.demo import run_demo
    day = as_of_date(as_of)
    try:
        result = run_demo(day, seed=seed, letters=letters)
        with session_scope() as session:
            status = _status_rows(session, day)
    except InspectionError as exc:
        fail(exc)
    typer.echo(f"演示数据已写入 {shown_url()}（截至 {day}，种子 {seed}）")
    for line in result["log"]:
        typer.echo(f"  {line}")
    _print_status(status)
    typer.echo(f"用时 {result['seconds']:.1f} 秒")


def _status_rows(session, day) -> list[dict]:
    from inspection.services import county_status, make_context
    return county_status(session, make_context("cli", day))


def _print_status(rows: list[dict]) -> None:
    typer.echo("县市\t创建年份\t阶段\t下一期限\t问责案件\t最近评估\t未达标学校学段")
    for r in rows:
        ev = r["latest_evaluation"] or {}
        verdict = {"met": "达标", "not_met": "未达标", "pending": "待补充", "vetoed": "不予认定"}.get(ev.get("outcome"), "—")
        due = r.get("next_deadline")
        due_text = "—" if not due else f"{due['date']} {due['what']}" + ("（已逾期）" if due["overdue"] else "")
        cases = "、".join(f"{c['kind_zh']}·{c['level_zh']}" for c in r.get("open_cases", [])) or "—"
        typer.echo(f"{r['county']}\t{r['target_year']}\t{r.get('stage_zh', r['stage'])}\t{due_text}\t{cases}\t"
                   f"{ev.get('year', '—')} {verdict}\t{ev.get('failing_schools', '—')}/{ev.get('schools', '—')}")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="JSON：县市、创建年份、阶段、下一期限、问责案件"),
           as_of: Optional[str] = typer.Option(None, help="日期 YYYY-MM-DD（默认今天）")) -> None:
    """各县市所处阶段、下一期限、问责案件与最近评估。Each county's stage, next deadline and open cases."""
    from inspection.cli.common import as_of_date
    from inspection.db import init_database, session_scope
    try:
        init_database()
        with session_scope() as session:
            rows = _status_rows(session, as_of_date(as_of))
    except InspectionError as exc:
        fail(exc)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        _print_status(rows)


@audit_app.command("verify")
def audit_verify() -> None:
    """校验审计日志：哈希链、库外锚点、决定性数据与日志是否一致。Check the audit trail."""
    from inspection.cycle import load_cycle
    from inspection.db import init_database, session_scope
    from inspection.db.audit import log_problems, verify_anchor
    init_database()
    with session_scope() as session:
        report, problems = log_problems(session, load_cycle().cycle.initial)
        problems += verify_anchor(session)
    if not problems:
        typer.echo(f"审计日志完整：{report.events} 条记录 audit chain intact ({report.events} events)；"
                   "与库外锚点、阶段、结论、账号和各县市数据一致")
        return
    typer.echo("审计日志被篡改 audit trail tampered:", err=True)
    for p in problems:
        typer.echo(f"  · {p}", err=True)
    raise typer.Exit(1)
