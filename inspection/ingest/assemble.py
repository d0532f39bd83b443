"""From grids to the validated school table (表格理解): the one path every format goes through.

`understand_table(grids, source)` finds the table's parts (`layout`), reads its rows (`rows`), turns
every mapped cell into a `Cell` with its `Provenance`, and calls `build_table`. Totals rows are
checked against the sum of the rows they cover; a mismatch is returned as an `Inconsistency` (the
veto scan reports it under falsification) and does not stop the reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from operator import itemgetter
from typing import Mapping, Sequence

from inspection.columns import NUMERIC_FIELDS, column
from inspection.errors import TableError
from inspection.ingest.headers import UNIT_ASSUMED, HeaderMatch, display
from inspection.ingest.layout import Part, find_parts
from inspection.ingest.model import Grid, Inconsistency, Source
from inspection.ingest.rows import Row, TotalsRow, body_rows, resolve_stage
from inspection.table import Cell, LazyCells, Provenance, SchoolTable, build_table, parse_number

COMBINED_NOTE = "体育、艺术合并为一列，已计入体育专任教师数"
TEXT_TABLE_NOTE = "无框线表格，按文字对齐读取"  # a PDF table found by its text's alignment, not its lines
OCR_NOTE = "扫描件，文字识别（OCR）读取"      # a scanned page's table, recognised cell by cell
STRATEGY_NOTES = {"text": TEXT_TABLE_NOTE, "ocr": OCR_NOTE}


@dataclass(frozen=True)
class TableReading:
    table: SchoolTable
    headers: dict[str, str]
    ignored_headers: tuple[str, ...]
    inconsistencies: tuple[Inconsistency, ...]


def _prov(row: Row, source: Source, column_index: int, header: str, note: str = "") -> Provenance:
    grid = row.part.grid
    mark = STRATEGY_NOTES.get(grid.strategy)
    if not note and not row.notes and mark is None:   # the common case, once for every cell
        notes = ""
    else:
        marks = [mark] if mark else []
        notes = "；".join([*marks, *row.notes, note] if note else [*marks, *row.notes])
    prov = Provenance(source.file, source.sha256, grid.row_numbers[row.index], header, row.texts[column_index],
                      grid.page, grid.index, notes)
    return _scanned(prov, grid, row.index, column_index) if grid.scan else prov


def _scanned(prov: Provenance, grid: Grid, i: int, j: int) -> Provenance:
    """An OCR cell's box and confidence on its provenance (a merged cell's, under a merge)."""
    cell = grid.scan[i][j] if i < len(grid.scan) and j < len(grid.scan[i]) else None
    return prov if cell is None else replace(prov, box=cell.box, confidence=cell.confidence)


def _record(row: Row, source: Source, figures: "_Figures") -> LazyCells:
    """The row's cells, made when first asked for; what `build_table` reads of a plain row without them."""
    name, stage, how = resolve_stage(row)
    return _RowCells(row, source, how, row=row.part.grid.row_numbers[row.index], name=name, stage=stage,
                     figures=figures.texts(row.texts), factors=figures.factors)


class _RowCells(LazyCells):
    __slots__ = ("_row", "_source", "_how")

    def __init__(self, read: Row, source: Source, how: str, **plain) -> None:
        super().__init__(**plain)
        self._row, self._source, self._how = read, source, how

    def _build(self) -> dict[str, Cell]:
        return _cells(self._row, self._source, self.name, self.stage, self._how)


def _cells(row: Row, source: Source, name: str, stage: str, how: str) -> dict[str, Cell]:
    cells: dict[str, Cell] = {}
    for m in row.part.matches:
        # a scanned column whose unit was not read (the form's assumed) says so on each figure, to confirm
        prov = _prov(row, source, m.index, m.header, UNIT_ASSUMED if m.unit_assumed else "")
        if m.field == "name":
            cells["name"] = Cell(name, prov)
        elif m.field == "stage":
            cells["stage"] = Cell(stage, _prov(row, source, m.index, m.header, how))
        elif m.part is not None:
            if m.field not in cells:
                cells[m.field] = _parts_cell(row, source, [p for p in row.part.matches if p.field == m.field])
        else:
            cells[m.field] = Cell(row.texts[m.index], prov, m.factor)
            for other in m.combined:
                if other != m.field:
                    cells[other] = Cell("0", _prov(row, source, m.index, m.header, COMBINED_NOTE))
    if "stage" not in cells:
        name_col = next(m for m in row.part.matches if m.field == "name")
        prov = _prov(row, source, name_col.index, column("stage").header, how)
        cells["stage"] = Cell(stage, prov)
    return cells


_ZERO = -1   # not a column: the "0" `_cells` gives a field that a combined column stands for


@dataclass(frozen=True)
class _Figures:
    """Where a part's rows hold the text of each figure (`NUMERIC_FIELDS` order) that `_cells` would
    put in its Cell, and that Cell's factor: worked out once per part by going through its matches as
    `_cells` does. `columns` is None when a figure is given in part columns (no one cell to read)."""

    columns: tuple[int | None, ...] | None      # a column index, _ZERO, or None: no such column
    factors: tuple[float, ...]

    @classmethod
    def of(cls, part: Part) -> "_Figures":
        found: dict[str, tuple[int, float] | None] = {}     # field → (column, factor); None: in parts
        for m in part.matches:
            if m.field in ("name", "stage"):
                continue
            if m.part is not None:
                found.setdefault(m.field, None)
                continue
            found[m.field] = (m.index, m.factor)
            found.update({other: (_ZERO, 1.0) for other in m.combined if other != m.field})
        if any(found.get(f, ()) is None for f in NUMERIC_FIELDS):
            return cls(None, ())
        where = [found.get(f) for f in NUMERIC_FIELDS]
        return cls(tuple(w[0] if w else None for w in where), tuple(w[1] if w else 1.0 for w in where))

    @cached_property
    def _pick(self):
        """The row's figure texts as a tuple: in C when each figure is a column (the usual table)."""
        if len(self.columns) > 1 and all(j is not None and j >= 0 for j in self.columns):
            return itemgetter(*self.columns)
        return lambda row: tuple("0" if j == _ZERO else None if j is None else row[j] for j in self.columns)

    def texts(self, row: list[str]) -> tuple[str | None, ...] | None:
        return None if self.columns is None else self._pick(row)


def _parts_cell(row: Row, source: Source, parts: list[HeaderMatch]) -> Cell:
    """A figure given in part columns (音乐教师, 美术教师): a cell per part, each with its own unit and
    provenance. The figure's provenance is the first part's cell, with every part named in its note
    and kept in `parts`."""
    cells = tuple(Cell(row.texts[p.index], _prov(row, source, p.index, p.header,
                                                 UNIT_ASSUMED if p.unit_assumed else ""), p.factor) for p in parts)
    listed = "与".join(f"“{p.header}”（第{p.index + 1}列，原值“{row.texts[p.index].strip()}”）" for p in parts)
    note = f"{column(parts[0].field).bare_header}由{listed}相加"
    if any(p.unit_assumed for p in parts):
        note = f"{UNIT_ASSUMED}；{note}"
    prov = replace(_prov(row, source, parts[0].index, parts[0].header, note),
                   parts=tuple(c.provenance for c in cells))
    return Cell(row.texts[parts[0].index], prov, 1.0, cells)


def _decimals(text: str) -> int:
    found = re.search(r"\.(\d+)", text)
    return len(found.group(1)) if found else 0


def _check_totals(totals: Sequence[TotalsRow], source: Source) -> list[Inconsistency]:
    """Each totals row against the sum of its rows, column by column, within rounding."""
    out = []
    for t in totals:
        if not t.scope:
            continue
        stage = "primary" if "小学" in t.label else "junior" if "初中" in t.label else None
        scope = [r for r in t.scope if stage is None or resolve_stage(r)[1] == {"primary": "小学", "junior": "初中"}[stage]]
        for m in t.row.part.matches:
            if m.field not in NUMERIC_FIELDS:
                continue
            try:
                total = parse_number(t.row.texts[m.index])
                values = [parse_number(r.texts[m.index]) for r in scope if m.index < len(r.texts)]
            except ValueError:
                continue
            values = [v for v in values if v is not None]
            if total is None or not values:
                continue
            decimals = max([_decimals(t.row.texts[m.index])] + [_decimals(r.texts[m.index]) for r in scope])
            tolerance = 0.5 * 10 ** -decimals * (len(values) + 1) + 1e-9
            if abs(sum(values) - total) <= tolerance:
                continue
            quote = " ".join(c.strip() for c in t.row.texts if c.strip())
            where = t.row.where()
            out.append(Inconsistency(
                quote=quote,
                zh=f"{source.file} {where}“{t.label}”行“{m.header}”为{t.row.texts[m.index].strip()}，"
                   f"而所列{len(values)}行之和为{sum(values):g}，数据相互矛盾",
                en=f"{source.file} {where}: totals row '{t.label}' gives {t.row.texts[m.index].strip()} for "
                   f"'{m.header}' but its {len(values)} rows sum to {sum(values):g}",
                page=t.row.part.grid.page,
                provenance=(_prov(t.row, source, m.index, m.header),)))
    return out


def understand_table(grids: Sequence[Grid], source: Source, *,
                     shared_weights: Mapping[str, float] | None = None) -> TableReading:
    """Find, map and validate the school table among `grids`; raise `TableError` if there is none."""
    parts = find_parts(grids, file=source.file)
    if not parts:
        seen = "；".join("、".join(display(c) for c in g.rows[0] if display(c))[:60] for g in grids[:5] if g.rows)
        raise TableError(
            f"{source.file} 中没有找到学校数据表（{len(grids)}个表格；首行：{seen or '无'}）。"
            f"学校数据表应包含：学校名称、学段、在校学生数等列",
            f"{source.file}: no school table found among {len(grids)} table(s) (first rows: {seen or 'none'})",
            file=source.file)
    rows, totals = body_rows(parts)
    figures = {id(p): _Figures.of(p) for p in parts}
    records = [_record(r, source, figures[id(r.part)]) for r in rows]
    first = parts[0]
    first_row = first.grid.row_numbers[first.body_start] if first.body_start < len(first.grid.rows) else 2
    table = build_table(records, file=source.file, shared_weights=shared_weights, first_row=first_row)
    mapped = {m.index for m in first.matches}
    ignored = tuple(h for j, h in enumerate(first.headers) if j not in mapped and h)
    headers: dict[str, str] = {}
    for m in first.matches:  # a field given in parts: its headers joined, 音乐教师＋美术教师
        headers[m.field] = f"{headers[m.field]}＋{m.header}" if m.part is not None and m.field in headers else m.header
    return TableReading(table, headers, ignored, tuple(_check_totals(totals, source)))
