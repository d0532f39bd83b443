"""A county case from files, without the database: the quick look (`inspection report FILE`).

Importing this module loads no database code (SQLModel/Alembic cost ~1.2 s of a command's start-up).
"""

from __future__ import annotations

import json
from pathlib import Path

from inspection.documents.case import CountyCase, case_from_table, figures_from_json, findings_from_json
from inspection.errors import ReadError
from inspection.standard import Schedule, Standard


def case_from_file(path: Path, standard: Standard, schedule: Schedule, *, county: str, year: int,
                   figures_path: Path | None = None, scan_path: Path | None = None) -> CountyCase:
    """A quick look without the database: read the table and the workbook's 县级指标 sheet (county
    figures from a JSON file take precedence), and veto findings from a scan JSON."""
    from inspection.ingest import read_document
    document = read_document(path, standard, require_table=True)
    figures = dict(document.county_sheet.figures) if document.county_sheet else {}
    if figures_path:
        figures.update(figures_from_json(_json(figures_path)))
    findings = findings_from_json(_json(scan_path), source=scan_path.name) if scan_path else []
    scanned = _json(scan_path).get("documents", [scan_path.name]) if scan_path else None
    return case_from_table(document.table, standard, schedule.county(county), year, figures=figures,
                           findings=findings, scanned=scanned)


def _json(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReadError(f"无法读取JSON文件 {Path(path).name}：{exc}", f"cannot read JSON {Path(path).name}: {exc}",
                        file=str(path)) from exc
