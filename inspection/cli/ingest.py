"""Document commands: extract (table with provenance), scan (veto evidence), forms (blank forms)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from inspection.cli.common import STANDARD_OPT, app, fail
from inspection.errors import InspectionError

FILE_HELP = "PDF、DOCX、XLSX 或 CSV 文件"


def _provenance(prov) -> dict | None:
    if prov is None:
        return None
    out = {"sha256": prov.sha256, "page": prov.page, "table": prov.table, "row": prov.row,
           "column": prov.column, "raw": prov.raw, "note": prov.note}
    if prov.parts:  # a figure summed from part columns (音乐教师 + 美术教师): each part's own cell
        out["parts"] = [_provenance(p) for p in prov.parts]
    if prov.confidence is not None:   # read by OCR from a scan: the cell's box on its page, how sure
        out.update(box=list(prov.box) if prov.box else None, confidence=round(prov.confidence, 1))
    return out


def _figure(x) -> float | None:
    """A figure for JSON: an absent optional one (no 班级数 column) is null, never NaN."""
    return None if x != x else round(float(x), 6)


def extract_json(doc) -> dict:
    """The school table as read, every figure with its provenance (STANDARD.md §5 columns)."""
    from inspection.columns import NUMERIC_FIELDS
    schools = []
    table = doc.table
    for i, name in enumerate(table.names):
        schools.append({
            "name": name, "stage": str(table.stages[i]),
            "figures": {f: _figure(table.figures[f][i]) for f in NUMERIC_FIELDS},
            "provenance": {f: _provenance(table.row_provenance(i, f)) for f in ("name", "stage", *NUMERIC_FIELDS)},
        })
    return {"file": doc.source.file, "sha256": doc.source.sha256, "format": doc.source.kind, "pages": doc.pages,
            "headers": doc.headers, "ignored_headers": list(doc.ignored_headers), "schools": schools,
            "notes": list(table.notes), "excluded": [dict(e) for e in table.excluded],
            "inconsistencies": [i.zh for i in doc.inconsistencies],
            "warnings": list(doc.warnings), "paragraphs": len(doc.paragraphs),
            "to_confirm": [c.as_json() for c in doc.to_confirm]}


@app.command()
def extract(file: Path = typer.Argument(..., help=FILE_HELP),
            as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
            standard: str = STANDARD_OPT) -> None:
    """读取学校数据表并给出每个数字的来源。Print the school table with each figure's provenance."""
    from inspection.ingest import read_document
    from inspection.standard import load_standard
    try:
        doc = read_document(file, load_standard(standard), require_table=True)
    except InspectionError as exc:
        fail(exc)
    data = extract_json(doc)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{data['file']}（{data['format']}，SHA-256 {data['sha256'][:12]}…）")
    for school in data["schools"]:
        prov = school["provenance"]["students"] or {}
        where = f"第{prov.get('page')}页 " if prov.get("page") else ""
        typer.echo(f"{school['name']}\t{school['stage']}\t在校生 {school['figures']['students']:g}\t"
                   f"{where}表{prov.get('table')} 第{prov.get('row')}行")
    for line in data["notes"] + data["inconsistencies"] + data["warnings"]:
        typer.echo(f"注：{line}")


@app.command()
def scan(files: List[Path] = typer.Argument(..., help=FILE_HELP + "（可多个，相互核对数字）"),
         as_json: bool = typer.Option(False, "--json", help="输出 JSON（STANDARD.md §5）"),
         standard: str = STANDARD_OPT) -> None:
    """筛查否决情形的证据。Scan documents for evidence of veto conditions."""
    from inspection.ingest import read_document
    from inspection.ingest.scan import scan_documents, scan_json
    from inspection.standard import load_standard
    try:
        std = load_standard(standard)
        result = scan_documents([read_document(f, std) for f in files])
    except InspectionError as exc:
        fail(exc)
    data = scan_json(result)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for f in result.findings:
        typer.echo("⚠ " + f.sentence(std))
    typer.echo(f"发现 {len(data['findings'])} 条否决情形证据，{len(data['declarations'])} 条否认或禁止性表述")


@app.command()
def forms(out: Path = typer.Option(Path("forms"), "--out", help="输出目录"),
          year: Optional[int] = typer.Option(None, "--year", help="多年数据（逐年只增不减）各列截至的年度"
                                                               "（默认为 forms/ 所用的年度）"),
          standard: str = STANDARD_OPT) -> None:
    """生成空白学校数据表（XLSX，含“县级指标”表）和自评报告提纲（DOCX）。Write the blank forms."""
    from inspection.forms import FORM_YEAR, write_forms
    from inspection.standard import load_standard
    try:
        paths = write_forms(out, load_standard(standard), year or FORM_YEAR)
    except InspectionError as exc:
        fail(exc)
    for path in paths:
        typer.echo(f"已生成 {path}")
