"""Which OCR figures a person must confirm (待人工核对), and OCR headers snapped to known wordings.

A figure read from a scan (its provenance has a `confidence`) is to be confirmed when any of these
holds, each a `reason`:
- `low_confidence` — the engine's confidence is below `min_confidence` (识别置信度低);
- `totals` — its column disagrees with the table's totals row (与合计行不符);
- `bound` — its row's ratio (students per class, m² per student, …) is outside a plausibility bound
  (超出合理范围), both figures of the ratio.
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
from inspection.ingest.model import Grid, Inconsistency, ScanCell
from inspection.standard import STAGE_ZH, STANDARDS_DIR
from inspection.table import SchoolTable, parse_number

REASONS_ZH = {"low_confidence": "识别置信度低", "totals": "与合计行不符", "bound": "超出合理范围"}
REASONS_EN = {"low_confidence": "low OCR confidence", "totals": "disagrees with the totals row",
              "bound": "outside a plausibility bound"}


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
    header_similarity: float
    header_words: tuple[str, ...]
    body_words: tuple[str, ...]
    bounds: tuple[Bound, ...]


@lru_cache(maxsize=1)
def ocr_rules() -> OcrRules:
    spec = tomllib.loads((STANDARDS_DIR / "ocr.toml").read_text(encoding="utf-8"))
    words = tuple(spec.get("header_words", ())) + tuple(c.header for c in canonical_columns())
    bounds = tuple(Bound(b["name"], b["numerator"], b["denominator"], float(b["min"]), float(b["max"]),
                         float(b.get("scale", 1))) for b in spec.get("bounds", ()))
    return OcrRules(float(spec["min_confidence"]), float(spec["header_similarity"]), words,
                    tuple(spec.get("body_words", ())), bounds)


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
        for field in ("name", *NUMERIC_FIELDS):
            prov = table.row_provenance(i, field)
            if prov is None or prov.confidence is None:
                continue
            reasons = tuple(r for r, hit in (("low_confidence", prov.confidence < rules.min_confidence),
                                             ("totals", field != "name" and prov.column in totals),
                                             ("bound", field in off_bounds)) if hit)
            if reasons:
                out.append(ToConfirm(name, str(table.stages[i]), field, prov.column, prov.page, prov.row,
                                     prov.raw.strip(), prov.confidence, prov.box, reasons))
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
SHORT = 3      # Chinese characters: a body cell this short is a stage or a label, never a school's name


def snap_headers(grid: Grid, rules: OcrRules | None = None) -> Grid:
    """An OCR grid with its header cells (the rows above its first row of figures) replaced by the
    nearest known wording when alike enough (the whole cell, else line by line), and its short body
    words (a stage, a totals label) by the nearest of `body_words`; other grids unchanged."""
    if grid.strategy != "ocr":
        return grid
    rules = rules or ocr_rules()
    rows = [list(r) for r in grid.rows]
    body = _first_body_row(rows)
    for r in rows[body:]:     # a short word in the body: the stage (小学), a totals label (合计)
        for j, text in enumerate(r):
            if text and 0 < len(_CJK.findall(text)) <= SHORT and not re.search(r"[0-9]", text):
                r[j] = _nearest(text.replace("\n", ""), rules, rules.body_words) or text
    for r in rows[:body]:
        for j, text in enumerate(r):
            if text and _CJK.search(text):
                whole = _nearest(text.replace("\n", ""), rules)
                r[j] = whole if whole is not None else \
                    "\n".join(_nearest(line, rules) or line for line in text.split("\n"))
    scan = _mark_repeated_names(rows, body, [list(r) for r in grid.scan])
    return replace(grid, rows=tuple(tuple(r) for r in rows), scan=tuple(tuple(r) for r in scan))


def _mark_repeated_names(rows: list[list], body: int, scan: list[list]) -> list[list]:
    """A school's name read twice in rows apart (第5小学 misread as 第3小学, which is also there) would
    stop the table as a repeated row: the later one is marked with its row and its confidence set to
    0, so the table is read and a person confirms the name. (A nine-year school's two rows are
    neighbours, or one merged cell: not marked.)"""
    texts = [[(c or "").replace("\n", "") for c in r] for r in rows[body:]]
    width = max((len(r) for r in texts), default=0)
    named = [sum(1 for r in texts if j < len(r) and len(_CJK.findall(r[j])) >= 2) for j in range(width)]
    if not named or max(named) == 0:
        return scan
    j = named.index(max(named))
    seen: dict[str, int] = {}
    for k, r in enumerate(texts):
        name = r[j] if j < len(r) else ""
        if name and name in seen and seen[name] < k - 1:
            rows[body + k][j] = f"{rows[body + k][j]}（第{body + k + 1}行）"
            cell = scan[body + k][j] if body + k < len(scan) and j < len(scan[body + k]) else None
            if cell is not None:
                scan[body + k][j] = ScanCell(cell.box, 0.0)
        if name:
            seen[name] = k
    return scan


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


def _nearest(text: str, rules: OcrRules, words: Sequence[str] | None = None) -> str | None:
    """The known wording most like `text` (compared in NFKC: （ and ( alike), if alike enough."""
    key = unicodedata.normalize("NFKC", text)
    ratio = lambda w: difflib.SequenceMatcher(None, key, unicodedata.normalize("NFKC", w)).ratio()  # noqa: E731
    best = max(words or rules.header_words, key=ratio)
    return best if ratio(best) >= rules.header_similarity else None
