"""Which OCR figures a person must confirm (待人工核对), and OCR headers snapped to known wordings.

A figure read from a scan (its provenance has a `confidence`) is to be confirmed when any of these
holds, each a `reason`:
- `low_confidence` — the engine's confidence is below `min_confidence` (`min_name_confidence` for a
  school's name) (识别置信度低);
- `totals` — its column disagrees with the table's totals row (与合计行不符);
- `bound` — its row's ratio (students per class, m² per student, …) is outside a plausibility bound
  (超出合理范围), both figures of the ratio;
- `excluded` — a row of a scanned table left out because its pupils read as 0;
- `joined` — a row stitched from two (a row broken by a page, or a line the grid took for a row of
  its own: 城关第三中学 + 二、… from the text under the table), every cell of it.
The rules are data (`standards/ocr.toml`), all assumptions of this project. Pure functions: a table
and its contradictions in, a tuple of `ToConfirm` out.
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Sequence

from inspection.columns import NUMERIC_FIELDS, canonical_columns
from inspection.errors import TableError
from inspection.ingest.headers import UNIT_ASSUMED
from inspection.ingest.layout import find_parts
from inspection.ingest.model import Grid, Inconsistency
from inspection.standard import STAGE_ZH, STANDARDS_DIR
from inspection.table import SchoolTable, parse_number, parse_stage

JOINED = "拼接"     # the note table understanding gives a row it stitched from two (`rows._join`)
REASONS_ZH = {"low_confidence": "识别置信度低", "totals": "与合计行不符", "bound": "超出合理范围",
              "excluded": "在校学生数识别为0，该行未纳入评估", "joined": "由两行识别结果拼接",
              "unit": "表头单位未能识别，按表式单位计"}
REASONS_EN = {"low_confidence": "low OCR confidence", "totals": "disagrees with the totals row",
              "bound": "outside a plausibility bound", "excluded": "pupils read as 0, row left out",
              "joined": "stitched from two rows", "unit": "the header's unit was not read; the form's unit assumed"}


@dataclass(frozen=True, slots=True)
class Bound:
    """A plausible range for `numerator / denominator × scale` in one school row (合理范围)."""

    name: str
    numerator: str
    denominator: str
    low: float
    high: float
    scale: float = 1.0


@dataclass(frozen=True)
class OcrRules:
    min_confidence: float
    min_name_confidence: float
    header_similarity: float
    header_words: tuple[str, ...]
    stage_words: tuple[str, ...]
    totals_words: tuple[str, ...]
    bounds: tuple[Bound, ...]


@lru_cache(maxsize=1)
def ocr_rules() -> OcrRules:
    spec = tomllib.loads((STANDARDS_DIR / "ocr.toml").read_text(encoding="utf-8"))
    words = tuple(spec.get("header_words", ())) + tuple(c.header for c in canonical_columns())
    bounds = tuple(Bound(b["name"], b["numerator"], b["denominator"], float(b["min"]), float(b["max"]),
                         float(b.get("scale", 1))) for b in spec.get("bounds", ()))
    return OcrRules(float(spec["min_confidence"]), float(spec["min_name_confidence"]),
                    float(spec["header_similarity"]), words,
                    tuple(spec["stage_words"]), tuple(spec["totals_words"]), bounds)


@dataclass(frozen=True, slots=True)
class ToConfirm:
    """One OCR figure a person must confirm: where it is (page, row, school, column, cell box), what
    was read and how sure the engine was, and why it is to be confirmed."""

    school: str
    stage: str                      # primary | junior
    field: str
    header: str                     # the column as headed in the file
    page: int | None
    row: int
    raw: str
    confidence: float
    box: tuple[float, float, float, float] | None
    reasons: tuple[str, ...]

    def describe(self) -> str:
        where = f"第{self.page}页" if self.page is not None else ""
        why = "、".join(REASONS_ZH[r] for r in self.reasons)
        return (f"{where}第{self.row}行 {self.school}（{STAGE_ZH.get(self.stage, self.stage)}）“{self.header}”："
                f"识别为“{self.raw}”，置信度{self.confidence:.0f}，{why}")

    def describe_en(self) -> str:
        why = ", ".join(REASONS_EN[r] for r in self.reasons)
        return (f"page {self.page} row {self.row} {self.school} ({self.stage}) '{self.header}': read "
                f"'{self.raw}', confidence {self.confidence:.0f} ({why})")

    def as_json(self) -> dict:
        return {"school": self.school, "stage": self.stage, "field": self.field, "header": self.header,
                "page": self.page, "row": self.row, "raw": self.raw, "confidence": self.confidence,
                "box": list(self.box) if self.box else None, "reasons": list(self.reasons)}


def figures_to_confirm(table: SchoolTable, inconsistencies: Sequence[Inconsistency] = (),
                       rules: OcrRules | None = None) -> tuple[ToConfirm, ...]:
    """The OCR figures of `table` a person must confirm before they enter a verdict, in row order."""
    rules = rules or ocr_rules()
    if not table.provenance:
        return ()
    totals = {p.column for inc in inconsistencies for p in inc.provenance if p.confidence is not None}
    out = []
    for i, name in enumerate(table.names):
        off_bounds = _off_bounds(table, i, rules.bounds)
        for field in ("name", "stage", *NUMERIC_FIELDS):
            prov = table.row_provenance(i, field)
            if prov is None or prov.confidence is None:
                continue
            least = rules.min_name_confidence if field in ("name", "stage") else rules.min_confidence
            reasons = tuple(r for r, hit in (("low_confidence", prov.confidence < least),
                                             ("totals", field in NUMERIC_FIELDS and prov.column in totals),
                                             ("bound", field in off_bounds),
                                             ("joined", JOINED in prov.note),
                                             ("unit", UNIT_ASSUMED in prov.note)) if hit)
            if reasons:
                out.append(ToConfirm(name, str(table.stages[i]), field, prov.column, prov.page, prov.row,
                                     prov.raw.strip(), prov.confidence, prov.box, reasons))
    for e in table.excluded:     # a row left out because its pupils read as 0: the reader says so
        if "在校学生数为0" in str(e.get("reason", "")):
            out.append(ToConfirm(str(e["name"]), str(e.get("stage", "")), "students", "在校学生数", None,
                                 int(e.get("row", 0)), "0", 0.0, None, ("excluded",)))
    return tuple(out)


def _off_bounds(table: SchoolTable, i: int, bounds: Sequence[Bound]) -> set[str]:
    off: set[str] = set()
    for b in bounds:
        top, bottom = float(table.figures[b.numerator][i]), float(table.figures[b.denominator][i])
        if bottom != bottom or top != top or bottom <= 0:     # NaN: the figure is absent
            continue
        if not b.low <= top / bottom * b.scale <= b.high:
            off |= {b.numerator, b.denominator}
    return off


_CJK = re.compile(r"[\u3400-\u9fff]")
TOTALS_SIMILARITY = 0.5  # one of 合计's two characters, on a row with no stage
STAGE_SIMILARITY = 0.3   # a stage cell: one character right among stray ones is enough (小尾革 → 小学)


def prepare_scanned(grids: Sequence[Grid], *, file: str, rules: OcrRules | None = None) -> list[Grid]:
    """A document's grids with its OCR grids made ready for table understanding: headers snapped to
    known wordings; then, once the header is mapped, each body cell given the reading its column
    calls for (a figure column the digit reading, a name or stage column the words reading, each with
    its own confidence); a stage snapped to 小学 or 初中, a totals label to 合计; a name read twice marked."""
    if not any(g.strategy == "ocr" for g in grids):
        return list(grids)
    rules = rules or ocr_rules()
    grids = [snap_headers(g, rules) for g in grids]
    try:
        parts = find_parts(grids, file=file)
    except TableError:
        return grids             # understanding the table will say what is wrong with its header
    chosen = {id(p.grid): p for p in parts if p.grid.strategy == "ocr"}
    out, seen = [], set()      # (name, stage) read so far, over all the table's pages
    for g in grids:
        part = chosen.get(id(g))
        if part is not None:
            g = _mark_repeated_names(_choose(part, rules), part, seen)
        out.append(g)
    return out


def _zero(reading: tuple[str, float], rules: OcrRules) -> bool:
    return reading[1] < rules.min_confidence and _is_number(reading[0]) and parse_number(reading[0]) == 0


def _digits(text: str) -> str:
    found = "".join(re.findall(r"[0-9]", text)).lstrip("0")
    return found


def _totals_label(text: str, rules: OcrRules) -> str | None:
    """The totals label a short name cell stands for: the nearest of `totals_words` if alike enough,
    or 合计 for any short word ending in 计 (the label's last character survives where 合 does not)."""
    compact = re.sub(r"[^\u3400-\u9fff]", "", text)
    found = _nearest(compact, rules, rules.totals_words, TOTALS_SIMILARITY) if compact else None
    return found or (rules.totals_words[0] if compact.endswith("计") else None)


def _no_stage(grid: Grid, i: int, stage) -> bool:
    """Row i has no stage written (a totals row has none; a school's row has one)."""
    if stage is None or stage.index >= len(grid.rows[i]):
        return True
    cell = grid.scan[i][stage.index] if stage.index < len(grid.scan[i]) else None
    return not (cell.words[0].strip() if cell is not None and cell.words else (grid.rows[i][stage.index] or "").strip())


def _choose(part, rules: OcrRules) -> Grid:
    """The part's OCR grid with each body cell's reading chosen by its column. An unsure 0 for a
    school's pupils (which would leave the row out of the table, unflagged) is replaced by the digits
    of its words reading, unsure."""
    grid, stage, name = part.grid, part.field("stage"), part.field("name")
    students = part.field("students").index if part.field("students") else -1
    figures = {m.index for m in part.matches if m.field in NUMERIC_FIELDS}
    words = {m.index for m in part.matches if m.field in ("name", "stage")}
    rows, scan = [list(r) for r in grid.rows], [list(r) for r in grid.scan]
    for i in range(part.body_start, len(rows)):
        for j, cell in enumerate(scan[i]):
            reading = None if cell is None else cell.figure if j in figures else cell.words if j in words else None
            if reading is None or j >= len(rows[i]) or rows[i][j] is None:
                continue
            if j == students and _zero(reading, rules) and cell.words and _digits(cell.words[0]):
                reading = (_digits(cell.words[0]), 0.0)   # kept in the table (0 pupils would leave it out)
            rows[i][j] = reading[0]
            if stage is not None and j == stage.index:     # 小尾革 is 小学: a stage is one of two words
                rows[i][j] = _nearest(reading[0].replace("\n", ""), rules, rules.stage_words, STAGE_SIMILARITY) \
                    or reading[0]
            elif name is not None and j == name.index and len(_CJK.findall(reading[0])) <= 4 \
                    and _no_stage(grid, i, stage):          # 人台计 is 合计: a label on a row with no stage
                rows[i][j] = _totals_label(reading[0], rules) or reading[0]
            chosen = replace(cell, confidence=reading[1])
            for k in range(i, len(scan)):          # the positions a merged cell covers: the same box
                for m in range(len(scan[k])):
                    if scan[k][m] is not None and scan[k][m].box == cell.box:
                        scan[k][m] = chosen
    if stage is not None and name is not None:
        _infer_stages(rows, scan, part.body_start, name.index, stage.index, rules.totals_words)
    return replace(grid, rows=tuple(map(tuple, rows)), scan=tuple(map(tuple, scan)))


def _infer_stages(rows: list[list], scan: list[list], start: int, name: int, stage: int,
                  totals: Sequence[str]) -> None:
    """A stage cell read as nothing a stage can be (an empty reading): taken from the school's name
    (…小学, …中学) or, for a nine-year school's second row, as the stage its other row does not have,
    and failing both (the name misread too: 团结小学 as 区结小党) from the row above or below, since
    tables list a stage's schools together; its confidence set to 0, so a person confirms it rather
    than the whole scan being refused. A totals row (合计) has no stage and is left alone."""
    names, last = [], ""
    for r in rows:
        last = (r[name] or "").replace("\n", "") if name < len(r) and r[name] is not None else last
        names.append(last)
    for i in range(start, len(rows)):
        if stage >= len(rows[i]) or rows[i][stage] is None or parse_stage(rows[i][stage] or "") is not None:
            continue
        around = [(names[k], other) for k in (i - 1, i + 1) if start <= k < len(rows) and stage < len(rows[k])
                  and (other := parse_stage(rows[k][stage] or "")) is not None]
        guess = "小学" if names[i].endswith("小学") else "初中" if re.search(r"(中学|初中)$", names[i]) else None
        guess = guess or next(("初中" if other == "primary" else "小学" for n, other in around if n == names[i]), None)
        if guess is None and names[i] not in totals:
            guess = next((STAGE_ZH[other] for _, other in around), None)
        if guess is not None:
            rows[i][stage] = guess
            if scan[i][stage] is not None:
                scan[i][stage] = replace(scan[i][stage], confidence=0.0)



def snap_headers(grid: Grid, rules: OcrRules | None = None) -> Grid:
    """An OCR grid with its header cells (the rows above its first row of figures, read as words)
    replaced by the nearest known wording when alike enough (the whole cell, else line by line);
    other grids unchanged."""
    if grid.strategy != "ocr":
        return grid
    rules = rules or ocr_rules()
    rows = [list(r) for r in grid.rows]
    body = _first_body_row(rows)
    for i, r in enumerate(rows[:body]):
        for j, text in enumerate(r):
            cell = grid.scan[i][j] if i < len(grid.scan) and j < len(grid.scan[i]) else None
            text = cell.words[0] if text and cell is not None and cell.words else text   # 学段, not "2"
            r[j] = text
            if text and _CJK.search(text):
                whole = _nearest(text.replace("\n", ""), rules)
                r[j] = whole if whole is not None else \
                    "\n".join(_nearest(line, rules) or line for line in text.split("\n"))
    _name_stage_column(rows, grid, body, rules)
    return replace(grid, rows=tuple(tuple(r) for r in rows))


def _name_stage_column(rows: list[list], grid: Grid, body: int, rules: OcrRules) -> None:
    """A column whose body reads 小学 / 初中 (most rows, exactly) is the stage column, whatever its
    header was read as (学段 read as 2和 would leave it unmapped, and nine-year rows unresolved)."""
    if body == 0 or body >= len(rows):
        return
    for j in range(len(rows[body - 1])):
        seen = [re.sub(r"[^\u3400-\u9fff]", "", c.words[0]) for row in grid.scan[body:]
                if j < len(row) and (c := row[j]) is not None and c.words]
        if len(seen) >= 3 and sum(w in rules.stage_words for w in seen) >= 0.6 * len(seen):
            top = max(i for i in range(body) if rows[i][j] is not None) if any(rows[i][j] is not None for i in range(body)) else None
            if top is not None and "学段" not in "".join(rows[i][j] or "" for i in range(body)):
                rows[top][j] = "学段"


def _mark_repeated_names(grid: Grid, part, seen: set[tuple[str, str]]) -> Grid:
    """A school's name read twice for one stage (第3小学 misread as 第2小学, which is also there) would
    stop the table as a repeated row: the later one is marked with its row and its confidence set to
    0, so that the table is read and a person confirms the name."""
    name, stage = part.field("name"), part.field("stage")
    if name is None:
        return grid
    rows, scan = [list(r) for r in grid.rows], [list(r) for r in grid.scan]
    for i in range(part.body_start, len(rows)):
        text = (rows[i][name.index] or "").replace("\n", "") if name.index < len(rows[i]) else ""
        level = (rows[i][stage.index] or "") if stage is not None and stage.index < len(rows[i]) else ""
        level = parse_stage(level) or level
        if not text:
            continue
        if (text, level) in seen:
            rows[i][name.index] = f"{rows[i][name.index]}（第{i + 1}行）"
            cell = scan[i][name.index] if name.index < len(scan[i]) else None
            if cell is not None:
                scan[i][name.index] = replace(cell, confidence=0.0)
        seen.add((text, level))
    return replace(grid, rows=tuple(map(tuple, rows)), scan=tuple(map(tuple, scan)))


def _first_body_row(rows: list[list[str | None]]) -> int:
    for k, r in enumerate(rows):
        if sum(1 for c in r if c and _is_number(c)) >= 3:
            return k
    return len(rows)


def _is_number(text: str) -> bool:
    try:
        return parse_number(text) is not None
    except ValueError:
        return False


def _nearest(text: str, rules: OcrRules, words: Sequence[str] | None = None,
             similarity: float | None = None) -> str | None:
    """The known wording most like `text` (compared in NFKC: （ and ( alike), if alike enough."""
    key = unicodedata.normalize("NFKC", text)
    ratio = lambda w: difflib.SequenceMatcher(None, key, unicodedata.normalize("NFKC", w)).ratio()  # noqa: E731
    best = max(words or rules.header_words, key=ratio)
    return best if ratio(best) >= (rules.header_similarity if similarity is None else similarity) else None
