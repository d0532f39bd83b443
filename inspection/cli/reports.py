"""`inspection report`: official documents (公文) and ledgers (台账).

    inspection report FILE --county 泽普县 --format pdf --out letter.pdf      quick look, no database
    inspection report --county 泽普县 --year 2026 --out letter.pdf            from the database
    inspection report --county 泽普县 --year 2026 --kind rectification --out notice.docx --format docx
    inspection report --prefecture --year 2026 --out report.pdf              annual monitoring report
    inspection report --ledger --year 2026 --out DIR                          已达标/未达标台账 (XLSX)
    inspection report --all --year 2026 --out DIR                             every letter, the report, ledgers

From the database a document is registered (发文登记簿, `inspection register`) on what it is issued
on — a county's evaluation of the year, the year's evaluations for the report: it takes the next
number of the committee's prefix (喀教督〔年〕N号) once, and keeps that number and date however often,
and in whichever format, it is rendered again. A quick look is a draft without a number unless
--number is given.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from inspection.cli.common import STANDARD_OPT, app, as_of_date, fail
from inspection.errors import InspectionError


@app.command()
def report(file: Optional[Path] = typer.Argument(None, help="学校数据表（不连数据库的快速预览）"),
           county: Optional[str] = typer.Option(None, "--county", help="县市名称"),
           year: Optional[int] = typer.Option(None, "--year", help="评估年度（默认成文日期所在年）"),
           fmt: str = typer.Option("pdf", "--format", help="pdf 或 docx"),
           out: Path = typer.Option(..., "--out", help="输出文件；--ledger/--all 时为目录"),
           kind: str = typer.Option("letter", "--kind", help="letter 意见书 | rectification 整改通知 | accountability 问责通报"),
           prefecture: bool = typer.Option(False, "--prefecture", help="地区年度监测报告"),
           ledger: bool = typer.Option(False, "--ledger", help="已达标、未达标台账（XLSX）"),
           all_counties: bool = typer.Option(False, "--all", help="全部县市意见书、监测报告和台账"),
           number: Optional[int] = typer.Option(None, "--number", help="指定发文序号（默认从数据库取号）"),
           figures: Optional[Path] = typer.Option(None, "--figures", help="县级指标数据 JSON（快速预览）"),
           scan: Optional[Path] = typer.Option(None, "--scan", help="inspection scan --json 的输出（快速预览）"),
           as_of: Optional[str] = typer.Option(None, "--as-of", help="成文日期 YYYY-MM-DD（默认今天）"),
           workers: int = typer.Option(2, "--workers", help="--all 时的并行进程数"),
           standard: str = STANDARD_OPT) -> None:
    """生成督导评估意见书、监测报告、整改通知、问责通报和台账。Write official documents and ledgers."""
    try:
        if file is not None:
            # A quick look writes one document: its renderer and charts start loading now, in
            # forked processes, before anything below is imported or read.
            from contextlib import nullcontext

            from inspection.documents.render import RenderAhead
            with nullcontext() if ledger else RenderAhead(fmt) as ahead:
                written = _from_file(file, standard, county=county, year=year, out=out, kind=kind, ahead=ahead,
                                     number=number, figures=figures, scan=scan, issued=as_of_date(as_of))
        else:
            from inspection.standard import load_schedule, load_standard
            issued = as_of_date(as_of)
            std, sch = load_standard(standard), load_schedule()
            year = year or issued.year
            written = _from_database(std, sch, county=county, year=year, fmt=fmt, out=out, kind=kind,
                                     prefecture=prefecture, ledger=ledger, all_counties=all_counties,
                                     number=number, issued=issued, workers=workers)
    except InspectionError as exc:
        fail(exc)
    for path in written:
        typer.echo(f"已生成 written: {path}")


def _need_county(county: Optional[str]) -> str:
    if not county:
        raise InspectionError("请用 --county 指定县市", "--county is required here")
    return county


def _from_file(file, standard, *, county, year, out, kind, ahead, number, figures, scan, issued) -> list[Path]:
    """The quick look: no database. `ahead` renders the one document; without it, the ledgers."""
    from inspection.documents import county_document, issue_for, ledgers_for
    from inspection.documents.files import case_from_file
    from inspection.standard import load_schedule, load_standard
    std, sch = load_standard(standard), load_schedule()
    year = year or issued.year
    case = case_from_file(file, std, sch, county=_need_county(county), year=year, figures_path=figures, scan_path=scan)
    if ahead is None:
        from inspection.documents.xlsx import write_ledgers
        return write_ledgers(ledgers_for([case], issued), out, year)
    return [ahead.write(county_document(case, issue_for(sch, serial=number, issued=issued), kind), out)]


def _from_database(std, sch, *, county, year, fmt, out, kind, prefecture, ledger, all_counties, number,
                   issued: date, workers: int) -> list[Path]:
    from inspection.documents import RenderPool
    if all_counties:
        # Workers fork before the database is opened and load the renderer while cases are built.
        with RenderPool(workers, (fmt,)) as pool:
            return _database_documents(std, sch, county=county, year=year, fmt=fmt, out=out, kind=kind,
                                       prefecture=prefecture, ledger=ledger, all_counties=True, number=number,
                                       issued=issued, pool=pool)
    return _database_documents(std, sch, county=county, year=year, fmt=fmt, out=out, kind=kind,
                               prefecture=prefecture, ledger=ledger, all_counties=False, number=number,
                               issued=issued, pool=None)


def _database_documents(std, sch, *, county, year, fmt, out, kind, prefecture, ledger, all_counties, number,
                        issued: date, pool) -> list[Path]:
    from inspection.db import init_database, session_scope
    from inspection.documents import Renderers, county_document, issue_for, ledgers_for, prefecture_document
    from inspection.documents.sources import (case_from_database, cases_from_database, county_issue,
                                              letter_number, report_issue)
    from inspection.documents.xlsx import write_ledgers
    from inspection.services.planning import annual_plan_citations, rectification_citation
    init_database()
    with session_scope() as session:
        def issue(county_name: str | None, doc_kind: str = kind):
            """An explicit --number, else the register's (the same document keeps its number)."""
            if number:
                return issue_for(sch, serial=number, issued=issued)
            if county_name is None:
                return report_issue(session, sch, year=year, issued=issued, actor="cli")
            return county_issue(session, sch, county=county_name, year=year, kind=doc_kind, issued=issued, actor="cli")
        if not (prefecture or ledger or all_counties):
            case = case_from_database(session, std, sch, county=_need_county(county), year=year)
            follows = "" if kind == "letter" else letter_number(session, county=case.county, year=year)
            cited = rectification_citation(session, county=case.county) if kind == "rectification" else ""
            doc = county_document(case, issue(case.county), kind, follows=follows, plan_citation=cited)
            return [Renderers().write(doc, fmt, out)]
        cases = cases_from_database(session, std, sch, year=year)
        if not cases:
            raise InspectionError(f"数据库中没有{year}年度的评估结果，请先运行 inspection demo 或导入数据",
                                  f"no evaluations for {year} in the database", year=year)
        if ledger and not all_counties:
            return write_ledgers(ledgers_for(cases, issued), out, year)
        report_doc = prefecture_document(cases, issue(None), prefecture=sch.prefecture.name, year=year,
                                         plan_citations=annual_plan_citations(session, counties=[c.county for c in cases]))
        if not all_counties:
            return [Renderers().write(report_doc, fmt, out)]
        out.mkdir(parents=True, exist_ok=True)
        jobs = [(county_document(c, issue(c.county, "letter"), "letter"), fmt, out / f"{c.county}-督导评估意见书.{fmt}")
                for c in cases]
        jobs.append((report_doc, fmt, out / f"{sch.prefecture.name}{year}年度监测报告.{fmt}"))
        # Rendered inside the transaction: numbers are committed only if every document was written.
        written = pool.render(jobs)
    return written + write_ledgers(ledgers_for(cases, issued), out, year)


@app.command()
def register(out: Optional[Path] = typer.Option(None, "--out", help="导出为 XLSX 文件"),
             as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """发文登记簿：已发文件的字号、日期、标题、县市与内容摘要。The register of issued documents."""
    from inspection.db import init_database, repo, session_scope
    from inspection.documents.xlsx import REGISTER_KINDS, write_register
    from inspection.standard import load_schedule
    init_database()
    with session_scope() as session:
        rows = repo.document_register(session)
    if out is not None:
        typer.echo(str(write_register(rows, out, load_schedule().prefecture.committee)))
    elif as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo("发文字号\t成文日期\t种类\t县市\t标题")
        for r in rows:
            typer.echo(f"{r['number']}\t{r['issued_on']}\t{REGISTER_KINDS.get(r['kind'], r['kind'])}\t{r['county']}\t{r['title']}")
