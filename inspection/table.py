"""The school table (学校数据表): one row per school and stage, held as columns for the rule engine.

`build_table` turns rows of raw cells (from any reader) into a validated `SchoolTable`; every
figure keeps its `Provenance` so a reviewer can trace it to a file, page, table, row and column.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Sequence

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
    lists every part in `note`, and keeps each part's own provenance in `parts`. A figure read by OCR
    from a scan (扫描件) also has the cell's `box` on its page (x0, top, x1, bottom in PDF points) and
    the engine's `confidence` (0–100); both are None for a figure read from text."""

    file: str
    sha256: str
    row: int
    column: str
    raw: str
    page: int | None = None
    table: int | None = None
    note: str = ""
    parts: tuple["Provenance", ...] = ()
    box: tuple[float, float, float, float] | None = None
    confidence: float | None = None

    def describe(self) -> str:
        where = [self.file]
        if self.page is not None:
            where.append(f"第{self.page}页")
        if self.table is not None:
            where.append(f"表{self.table}")
        where.append(f"第{self.row}行")
        where.append(f"“{self.column}”列")
        return "，".join(where) + f"（原值“{self.raw}”）" + (f"；{self.note}" if self.note else "")

    def describe_en(self) -> str:
        """`describe` in English (the web's English mode): the file's own column header and cell as they
        are; the note, written in Chinese by the readers, is left out."""
        where = [self.file] + ([f"page {self.page}"] if self.page is not None else []) \
            + ([f"table {self.table}"] if self.table is not None else [])
        return ", ".join([*where, f"row {self.row}", f"column \u201c{self.column}\u201d"]) + f" (raw \u201c{self.raw}\u201d)"


@dataclass(frozen=True, slots=True)
class Cell:
    """A raw cell as a reader saw it; `factor` converts its unit to the engine's (万元 → 元).

    A figure given in part columns is a `Cell` whose `parts` are those columns' cells (each with its
    own factor and provenance): its figure is their sum, and `text` is not read."""

    text: str
    provenance: Provenance | None = None
    factor: float = 1.0
    parts: tuple["Cell", ...] = ()


class _BuiltOnUse(Mapping):
    """A mapping built by `_build()` the first time it is read, then kept."""

    __slots__ = ("_built",)

    def _build(self) -> dict:
        raise NotImplementedError

    def _all(self) -> dict:
        if self._built is None:
            self._built = self._build()
        return self._built

    def __getitem__(self, key: str):
        return self._all()[key]

    def __iter__(self):
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __repr__(self) -> str:
        return repr(self._all())


class LazyCells(_BuiltOnUse):
    """A row's cells (field → `Cell`), made by a subclass's `_build()` the first time anything asks.

    Table understanding hands its rows over this way: a Cell and a Provenance for each of a row's
    ~14 cells are 1.4 million objects for 50,000 rows (about 2 s with the collector), which a table
    that is only evaluated never looks at. `build_table` reads a plain table from `name`, `stage`
    and `figures` alone (`_plain_records`); anything else that asks — the careful reading of an
    irregular row, a reviewer's provenance — gets exactly the cells `_build` makes.

    `name` and `stage` are the texts of those cells; `figures` the texts of the `NUMERIC_FIELDS`
    cells in that order (None where the row has no such cell) and `factors` their units' factors;
    `figures` is None when a figure is not one cell (given in part columns); `row` is the row's
    number in the source, as every cell's provenance gives it."""

    __slots__ = ("row", "name", "stage", "figures", "factors")

    def __init__(self, *, row: int, name: str, stage: str, figures: tuple[str | None, ...] | None,
                 factors: tuple[float, ...]) -> None:
        self._built = None
        self.row, self.name, self.stage, self.figures, self.factors = row, name, stage, figures, factors


class RowProvenance(_BuiltOnUse):
    """A table row's provenance (field → `Provenance`), made from its cells when first asked for:
    like `LazyCells`, what evaluating a table does not need is not built for every cell."""

    __slots__ = ("_cells", "_split")

    def __init__(self, cells: Mapping[str, Cell], split: frozenset[str]) -> None:
        self._built, self._cells, self._split = None, cells, split

    def _build(self) -> dict[str, Provenance]:
        return _provenance(self._cells, self._split)


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


def table_csv(table: SchoolTable) -> str:
    """The table in the canonical CSV columns (STANDARD.md §5; equipment in 万元; a blank figure blank),
    which every reader reads back to the same table."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = canonical_columns()
    writer.writerow([c.header for c in cols])
    for i, name in enumerate(table.names):
        row = []
        for c in cols:
            if c.field == "name":
                row.append(name)
            elif c.field == "stage":
                row.append(STAGE_ZH[str(table.stages[i])])
            else:
                x = float(table.figures[c.field][i]) if c.field in table.figures else math.nan
                row.append("" if math.isnan(x) else f"{x / 10000:.2f}" if c.field == "equipment_value" else f"{x:g}")
        writer.writerow(row)
    return out.getvalue()


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


_SPACES = re.compile(r"\s+")


def parse_stage(text: str) -> str | None:
    return STAGE_NAMES.get(_SPACES.sub("", unicodedata.normalize("NFKC", str(text))))


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


@dataclass
class _Records:
    """The rows a table keeps, as columns (a record per row is a dict per row: 50,000 of them cost
    more than reading their figures): `values[field][i]` is row i's figure, None while blank;
    `split[i]` the shared figures of row i split between a school's two stages."""

    names: list[str]
    stages: list[str]
    rows: list[int]
    values: dict[str, list[float | None]]
    split: dict[int, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, parsed: list[dict]) -> "_Records":
        return cls([r["name"] for r in parsed], [r["stage"] for r in parsed], [r["row"] for r in parsed],
                   {f: [r["values"][f] for r in parsed] for f in NUMERIC_FIELDS})


def _split_shared(records: _Records, weights: Mapping[str, float]) -> list[str]:
    """Split a nine-year school's shared figures (reported once) between its stages by enrolment.

    The figure is given in one stage row and left blank (or marked 共用) in the other; each stage
    receives total × wᵢPᵢ / Σ wⱼPⱼ. Returns a note per split, recorded on the table.
    """
    notes = []
    by_school: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(records.names):
        by_school[name].append(i)
    shared_fields = [c.field for c in canonical_columns() if c.shared]
    stages, values, students = records.stages, records.values, records.values["students"]
    for name, rows in by_school.items():
        if len(rows) != 2 or {stages[i] for i in rows} != set(STAGES):
            continue
        total_weight = sum(weights[stages[i]] * students[i] for i in rows)
        for field_name in shared_fields:
            given = [i for i in rows if values[field_name][i] is not None]
            if len(given) != 1:
                continue
            total = values[field_name][given[0]]
            for i in rows:
                values[field_name][i] = total * weights[stages[i]] * students[i] / total_weight
                records.split.setdefault(i, set()).add(field_name)
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
    records = _plain_records(rows)
    if records is not None:
        kept, excluded = rows, []
    else:
        parsed, kept, excluded = _parse_rows(rows, file, first_row)
        records = _Records.of(parsed)
    if not records.names:
        raise TableError(f"{file} 中没有可评估的义务教育学校数据行（{len(excluded)}行不纳入评估：" +
                         "；".join(str(e["reason"]) for e in excluded[:3]) + "）",
                         f"{file} has no compulsory-education school rows to evaluate", file=file)
    _refuse_repeats(records, file)
    notes = _split_shared(records, shared_weights or {"primary": 1.0, "junior": 1.0})
    _refuse_blanks(records, file)
    split = {i: frozenset(fields) for i, fields in records.split.items()}
    return SchoolTable(
        names=tuple(records.names),
        stages=np.array(records.stages),
        figures={f: np.array(records.values[f], dtype=float) for f in NUMERIC_FIELDS},
        provenance=tuple(RowProvenance(cells, split.get(i, _NOTHING)) for i, cells in enumerate(kept)),
        notes=tuple(notes),
        excluded=tuple(excluded),
    )


def _parse_rows(rows: Sequence[Mapping[str, Cell]], file: str, first_row: int) -> tuple[list, list, list]:
    """(records, their rows, rows left out) — row by row, every check with its message."""
    parsed, kept, excluded = [], [], []
    for offset, cells in enumerate(rows):
        row_no = next((c.provenance.row for c in cells.values() if c.provenance), first_row + offset)
        rec = _parse_row(cells, file, row_no)
        if "excluded" in rec:
            excluded.append(rec["excluded"])
            continue
        parsed.append(rec)
        kept.append(cells)
    return parsed, kept, excluded


_NOTHING: frozenset[str] = frozenset()   # no shared figure split: one set for every such row, not a set each

_PLAIN_STAGES = {"小学": "primary", "初中": "junior"}   # a stage as table understanding writes it


def _plain_records(rows: Sequence[Mapping[str, Cell]]) -> _Records | None:
    """The records of a plain table, read column by column: every row a `LazyCells` with a name,
    小学 or 初中, students, and figures that are plain numbers (`_plain_column`). For such rows
    `_parse_row` would give the same records (and no error, and leave none out); None when any row
    is not plain — then `_parse_row` reads them all, so its checks and messages are the only ones."""
    if not all(isinstance(r, LazyCells) and r.figures is not None for r in rows):
        return None
    names = [r.name.strip() for r in rows]
    stages = [_PLAIN_STAGES.get(r.stage.strip()) for r in rows]
    if not all(names) or None in stages:
        return None
    factors = np.array([r.factors for r in rows], dtype=float)
    values = {}
    for k, (field_name, texts) in enumerate(zip(NUMERIC_FIELDS, zip(*(r.figures for r in rows)))):
        values[field_name] = _plain_column(texts, factors[:, k], column(field_name))
        if values[field_name] is None:
            return None
    if None in values["students"] or 0 in values["students"]:
        return None   # left out or refused, with its reason, by `_parse_row`
    return _Records(names, stages, [r.row for r in rows], values)


def _plain_column(texts: Sequence[str | None], factors: np.ndarray, col) -> list[float | None] | None:
    """A column's figures, as `_parse_row` gives them, when every cell is plain (`_plain_numbers`)
    or, in a shared column, blank or 共用 (None); a column the table does not have is its default
    when optional. None when any cell is not plain."""
    if None in texts:
        absent = col.optional and all(t is None for t in texts)
        return [_absent(col.field)] * len(texts) if absent else None
    try:
        return _plain_numbers(texts, factors)
    except ValueError:
        if not col.shared:
            return None
    marked = [t.strip() in SHARED_MARKS for t in texts]
    given = [j for j, mark in enumerate(marked) if not mark]
    try:
        numbers = iter(_plain_numbers([texts[j] for j in given], factors[given]))
    except ValueError:
        return None
    return [None if mark else next(numbers) for mark in marked]


def _plain_numbers(texts: Sequence[str], factors: np.ndarray) -> list[float]:
    """Each text's number × its factor when each is an ASCII number that `float` reads, finite and not
    negative: for such text `parse_number` is `float` (NFKC leaves ASCII as it is; `float` ignores
    the spaces around a number and refuses any within it, or a thousands separator), and NumPy's
    product is the float product. Raises ValueError for any other text."""
    if not "".join(texts).isascii():
        raise ValueError("not ASCII")
    numbers = np.array(list(map(float, texts)), dtype=float)
    if not (np.isfinite(numbers).all() and (numbers >= 0).all()):
        raise ValueError("not a finite, non-negative number")
    return (numbers * factors).tolist()


def _refuse_repeats(records: _Records, file: str) -> None:
    """A school-stage given twice is refused, naming both rows."""
    seen: dict[tuple[str, str], int] = {}
    for key, row in zip(zip(records.names, records.stages), records.rows):
        if key in seen:
            name, stage = key
            raise TableError(f"{file} 第{row}行：{name}（{STAGE_ZH[stage]}）与第{seen[key]}行重复",
                             f"{file} row {row}: {name} ({stage}) repeats row {seen[key]}",
                             **_where(file, row, column("name").header))
        seen[key] = row


def _refuse_blanks(records: _Records, file: str) -> None:
    """A figure still blank once shared figures are split is refused: the first row with one, and
    its first such column."""
    blank = [col.index(None) for col in records.values.values() if None in col]
    if not blank:
        return
    i = min(blank)
    field_name = next(f for f, col in records.values.items() if col[i] is None)
    header, row, name = column(field_name).header, records.rows[i], records.names[i]
    raise TableError(f"{file} 第{row}行（{name}）“{header}”列为空",
                     f"{file} row {row} ({name}): column {header} is empty", **_where(file, row, header))


def _provenance(cells: Mapping[str, Cell], split: frozenset[str]) -> dict[str, Provenance]:
    out = {}
    for name, cell in cells.items():
        if cell.provenance is None:
            continue
        prov = cell.provenance
        if name in split:
            note = "；".join(n for n in (prov.note, "两学段共用，按在校生数拆分") if n)
            prov = Provenance(**{**_asdict(prov), "note": note})
        out[name] = prov
    return out


def _asdict(prov: Provenance) -> dict:
    return {k: getattr(prov, k) for k in Provenance.__slots__}
