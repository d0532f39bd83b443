"""Read a school table from CSV (UTF-8, with or without BOM; GB18030 accepted for Excel exports)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from inspection.errors import ReadError
from inspection.ingest.headers import match_headers
from inspection.table import Cell, Provenance, SchoolTable, build_table


def _decode(data: bytes, file: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{file} 不是UTF-8或GB18030编码的文本文件", f"{file} is not UTF-8 or GB18030 text",
                    file=file)


def read_csv_table(data: bytes, *, file: str, sha256: str, shared_weights=None) -> SchoolTable:
    """Parse CSV bytes into a `SchoolTable`; each figure's provenance is its row and column."""
    rows = list(csv.reader(io.StringIO(_decode(data, file))))
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise ReadError(f"{file} 是空文件", f"{file} is empty", file=file)
    header, body = rows[0], rows[1:]
    matches = match_headers(header, file=file)
    records = []
    for row_no, row in enumerate(body, start=2):
        cells = {}
        for m in matches:
            text = row[m.index] if m.index < len(row) else ""
            prov = Provenance(file=file, sha256=sha256, row=row_no, column=m.header, raw=text)
            cells[m.field] = Cell(text, prov, m.factor)
        records.append(cells)
    return build_table(records, file=file, shared_weights=shared_weights)
