"""The school table (学校数据表): one row per school and stage, held as columns for the rule engine.

`build_table` turns rows of raw cells (from any reader) into a validated `SchoolTable`; every
figure keeps its `Provenance` so a reviewer can trace it to a file, page, table, row and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from inspection.columns import NUMERIC_FIELDS, canonical_columns, column
from inspection.errors import TableError
from inspection.standard import STAGE_ZH, STAGES

STAGE_NAMES = {"小学": "primary", "初中": "junior", "primary": "primary", "junior": "junior",
               "小学部": "primary", "初中部": "junior", "小学阶段": "primary", "初中阶段": "junior"}
SHARED_MARKS = {"", "共用", "合并", "同上", "见小学", "见初中", "含在小学", "含在初中"}
# Stages outside compulsory education: such a row is left out of the evaluation, with a note.
NON_COMPULSORY = {"高中": "高中", "高中部": "高中", "高中阶段": "高中", "高级中学": "高中", "完中高中": "高中",
                  "幼儿园": "学前", "学前": "学前", "学前班": "学前"}


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a figure came from: the file's SHA-256, page, table, row, column and the raw cell.

    A figure summed from part columns (音乐教师 + 美术教师) names its first part's column and cell,
    lists every part in `note`, and keeps each part's own provenance in `parts`."""

    file: str
    sha256: str
    row: int
    column: str
    raw: str
    page: int | None = None
    table: int | None = None
    note: str = ""
    parts: tuple["Provenance", ...] = ()

    def describe(self) -> str:
        where = [self.file]
        if self.page is not None:
            where.append(f"第{self.page}页")
        if self.table is not None:
            where.append(f"表{self.table}")
        where.append(f"第{self.row}行")
        where.append(f"“{self.column}”列")
        return "，".join(where) + f"（原值“{self.raw}”）" + (f"；{self.note}" if self.note else "")


@dataclass(frozen=True, slots=True)
class Cell:
    """A raw cell as a reader saw it; `factor` converts its unit to the engine's (万元 → 元).

    A figure given in part columns is a `Cell` whose `parts` are those columns' cells (each with its
    own factor and provenance): its figure is their sum, and `text` is not read."""

    text: str
    provenance: Provenance | None = None
    factor: float = 1.0
    parts: tuple["Cell", ...] = ()


@dataclass(frozen=True)
class SchoolTable:
    """Columns of a school table. `figures[field][i]` is row i's figure in the engine's unit."""

    names: tuple[str, ...]
    stages: np.ndarray                      # "primary" / "junior"
    figures: Mapping[str, np.ndarray]       # field → float64 array
    counties: np.ndarray | None = None      # group label per row, for multi-county tables
    provenance: tuple[Mapping[str, Provenance], ...] = ()
    notes: tuple[str, ...] = ()
    excluded: tuple[Mapping[str, object], ...] = ()   # rows left out on reading: {name, stage, reason, row}

    def __len__(self) -> int:
        return len(self.names)

    def row_provenance(self, i: int, field_name: str) -> Provenance | None:
        return self.provenance[i].get(field_name) if self.provenance else None

    def schools(self) -> dict[str, list[int]]:
        """Rows per school name: a nine-year school has two."""
        rows: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(self.names):
            rows[name].append(i)
        return dict(rows)


_SEPARATORS = re.compile(r"[\s,，]")


def parse_number(text: str) -> float | None:
    """A cell's number: full-width digits, thousands separators and spaces allowed; blank → None."""
    cleaned = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(text)))
    if cleaned in ("", "-", "—", "--", "/", "无"):
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(cleaned) from None
    if not math.isfinite(value):
        raise ValueError(cleaned)
    return value


def parse_stage(text: str) -> str | None:
    return STAGE_NAMES.get(re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))))


def _where(file: str, row: int, header: str) -> dict:
    return {"file": file, "row": row, "column": header}


def _text(cells: Mapping[str, Cell], name: str) -> str:
    cell = cells.get(name)
    return "" if cell is None else str(cell.text).strip()


def _parse_row(cells: Mapping[str, Cell], file: str, row: int) -> dict:
    name = _text(cells, "name")
    if not name:
        raise TableError(f"{file} 第{row}行：学校名称为空", f"{file} row {row}: school name is empty",
                         **_where(file, row, column("name").header))
    written = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(cells, "stage")))
    if written in NON_COMPULSORY:
        return {"name": name, "row": row, "excluded": {
            "name": name, "stage": written, "row": row,
            "reason": f"{NON_COMPULSORY[written]}阶段不属于义务教育，不纳入评估（第{row}行）"}}
    stage = parse_stage(_text(cells, "stage"))
    if stage is None:
        raise TableError(
            f"{file} 第{row}行（{name}）：学段“{_text(cells, 'stage')}”无法识别，应为“小学”或“初中”",
            f"{file} row {row} ({name}): stage '{_text(cells, 'stage')}' must be 小学 or 初中",
            **_where(file, row, column("stage").header))
    values: dict[str, float | None] = {}
    for field_name in NUMERIC_FIELDS:
        cell = cells.get(field_name)
        header = column(field_name).header
        if cell is not None and cell.parts:
            values[field_name] = _sum_parts(cell, field_name, file, row, name)
            continue
        if cell is None and column(field_name).optional:   # an optional column the table does not have
            values[field_name] = _absent(field_name)
            continue
        if cell is not None and column(field_name).shared and cell.text.strip() in SHARED_MARKS:
            values[field_name] = None  # a nine-year school's shared figure, given in its other stage row
            continue
        try:
            number = parse_number(cell.text) if cell is not None else None
        except ValueError as exc:
            raise TableError(f"{file} 第{row}行（{name}）“{header}”列的“{cell.text}”不是数字",
                             f"{file} row {row} ({name}), column {header}: '{exc}' is not a number",
                             **_where(file, row, header)) from None
        if number is not None and number < 0:
            raise TableError(f"{file} 第{row}行（{name}）“{header}”列不能为负数",
                             f"{file} row {row} ({name}), column {header}: negative value",
                             **_where(file, row, header))
        if number is None and column(field_name).optional:
            values[field_name] = _absent(field_name)
            continue
        values[field_name] = None if number is None else number * (cell.factor if cell else 1.0)
    if values["students"] is None:
        raise TableError(f"{file} 第{row}行（{name}，{STAGE_ZH[stage]}）：在校学生数为空，无法计算生均指标",
                         f"{file} row {row} ({name}, {stage}): missing students",
                         **_where(file, row, column("students").header))
    if values["students"] == 0:
        return {"name": name, "row": row, "excluded": {
            "name": name, "stage": stage, "row": row,
            "reason": f"在校学生数为0，无法计算生均指标，不纳入评估（第{row}行）"}}
    return {"name": name, "stage": stage, "values": values, "row": row}


def _absent(field_name: str) -> float:
    """An optional figure a table leaves out: its declared default, else unknown (NaN)."""
    default = column(field_name).default
    return math.nan if default is None else float(default)


def _sum_parts(cell: Cell, field_name: str, file: str, row: int, name: str) -> float | None:
    """The sum of a figure's part cells, each in its own unit. All parts blank (or, for a shared
    figure, marked 共用) is a blank figure, as one blank cell would be; some blank and some filled
    is an error naming the blank part, rather than a sum that silently leaves a part out."""
    col = column(field_name)
    numbers: list[float | None] = []
    labels: list[str] = []
    for part in cell.parts:
        label = part.provenance.column if part.provenance else col.header
        labels.append(label)
        if col.shared and part.text.strip() in SHARED_MARKS:
            numbers.append(None)
            continue
        try:
            number = parse_number(part.text)
        except ValueError as exc:
            raise TableError(f"{file} 第{row}行（{name}）“{label}”列（计入“{col.header}”）的“{part.text}”不是数字",
                             f"{file} row {row} ({name}), column {label} (part of {col.header}): "
                             f"'{exc}' is not a number", **_where(file, row, col.header)) from None
        if number is not None and number < 0:
            raise TableError(f"{file} 第{row}行（{name}）“{label}”列（计入“{col.header}”）不能为负数",
                             f"{file} row {row} ({name}), column {label} (part of {col.header}): negative value",
                             **_where(file, row, col.header))
        numbers.append(None if number is None else number * part.factor)
    blank = [label for label, n in zip(labels, numbers) if n is None]
    if len(blank) == len(numbers):
        return None
    if blank:
        filled = "”“".join(label for label, n in zip(labels, numbers) if n is not None)
        raise TableError(
            f"{file} 第{row}行（{name}）“{'”“'.join(blank)}”列为空，而“{filled}”列有数；"
            f"“{col.header}”是这几列之和，请补全（没有则填0）",
            f"{file} row {row} ({name}): column(s) {', '.join(blank)} are empty while the other part(s) of "
            f"{col.header} are filled; fill them (0 if none)", **_where(file, row, col.header))
    return sum(numbers)


def _split_shared(parsed: list[dict], weights: Mapping[str, float], file: str) -> list[str]:
    """Split a nine-year school's shared figures (reported once) between its stages by enrolment.

    The figure is given in one stage row and left blank (or marked 共用) in the other; each stage
    receives total × wᵢPᵢ / Σ wⱼPⱼ. Returns a note per split, recorded on the table.
    """
    notes = []
    by_school: dict[str, list[dict]] = defaultdict(list)
    for rec in parsed:
        by_school[rec["name"]].append(rec)
    shared_fields = [c.field for c in canonical_columns() if c.shared]
    for name, recs in by_school.items():
        if len(recs) != 2 or {r["stage"] for r in recs} != set(STAGES):
            continue
        total_weight = sum(weights[r["stage"]] * r["values"]["students"] for r in recs)
        for field_name in shared_fields:
            given = [r for r in recs if r["values"][field_name] is not None]
            if len(given) != 1:
                continue
            total = given[0]["values"][field_name]
            for r in recs:
                r["values"][field_name] = total * weights[r["stage"]] * r["values"]["students"] / total_weight
                r.setdefault("split", set()).add(field_name)
            notes.append(f"{name}：{column(field_name).bare_header}为两学段共用，按在校生数"
                         f"（权重 小学{weights['primary']}：初中{weights['junior']}）拆分")
    return notes


def build_table(rows: Sequence[Mapping[str, Cell]], *, file: str = "表格",
                shared_weights: Mapping[str, float] | None = None,
                first_row: int = 2) -> SchoolTable:
    """Validate rows of cells keyed by canonical field into a `SchoolTable`.

    Raises `TableError` naming file, row and column for an empty name, unknown stage,
    non-numeric or negative cell, zero students, a missing figure, or a duplicated school-stage.
    """
    if not rows:
        raise TableError(f"{file} 中没有学校数据行", f"{file} has no school rows", file=file)
    parsed, kept, excluded = [], [], []
    for offset, cells in enumerate(rows):
        row_no = next((c.provenance.row for c in cells.values() if c.provenance), first_row + offset)
        rec = _parse_row(cells, file, row_no)
        if "excluded" in rec:
            excluded.append(rec["excluded"])
            continue
        parsed.append(rec)
        kept.append(cells)
    if not parsed:
        raise TableError(f"{file} 中没有可评估的义务教育学校数据行（{len(excluded)}行不纳入评估：" +
                         "；".join(str(e["reason"]) for e in excluded[:3]) + "）",
                         f"{file} has no compulsory-education school rows to evaluate", file=file)
    rows = kept
    seen: dict[tuple[str, str], int] = {}
    for rec in parsed:
        key = (rec["name"], rec["stage"])
        if key in seen:
            raise TableError(f"{file} 第{rec['row']}行：{rec['name']}（{STAGE_ZH[rec['stage']]}）与第{seen[key]}行重复",
                             f"{file} row {rec['row']}: {rec['name']} ({rec['stage']}) repeats row {seen[key]}",
                             **_where(file, rec["row"], column("name").header))
        seen[key] = rec["row"]
    notes = _split_shared(parsed, shared_weights or {"primary": 1.0, "junior": 1.0}, file)
    for rec in parsed:
        for field_name, value in rec["values"].items():
            if value is None:
                header = column(field_name).header
                raise TableError(f"{file} 第{rec['row']}行（{rec['name']}）“{header}”列为空",
                                 f"{file} row {rec['row']} ({rec['name']}): column {header} is empty",
                                 **_where(file, rec["row"], header))
    provenance = tuple(_provenance(cells, rec) for cells, rec in zip(rows, parsed))
    return SchoolTable(
        names=tuple(r["name"] for r in parsed),
        stages=np.array([r["stage"] for r in parsed]),
        figures={f: np.array([r["values"][f] for r in parsed], dtype=float) for f in NUMERIC_FIELDS},
        provenance=provenance,
        notes=tuple(notes),
        excluded=tuple(excluded),
    )


def _provenance(cells: Mapping[str, Cell], rec: dict) -> dict[str, Provenance]:
    out = {}
    for name, cell in cells.items():
        if cell.provenance is None:
            continue
        prov = cell.provenance
        if name in rec.get("split", ()):
            note = "；".join(n for n in (prov.note, "两学段共用，按在校生数拆分") if n)
            prov = Provenance(**{**_asdict(prov), "note": note})
        out[name] = prov
    return out


def _asdict(prov: Provenance) -> dict:
    return {k: getattr(prov, k) for k in Provenance.__slots__}
