"""The school table's body rows (表体): which rows are schools, and what each school row says.

Skips blank, numbering ("1 2 3 …"), unit and repeated-header rows, notes ("注：…") and stage section
rows ("小学", which set the stage of the rows below); keeps totals rows (合计, 小计) aside for the
cross-check; joins a row fragment (a cell wrapped onto a new line, or the part of a row that a page
boundary pushed onto the next page) into the row before; gives the second stage row of a nine-year
school (merged name cell) its school's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from inspection.columns import NUMERIC_FIELDS
from inspection.ingest.headers import coverage, normalize, vocabulary
from inspection.ingest.layout import Part, cells, is_unit_row
from inspection.table import NON_COMPULSORY, STAGE_NAMES, parse_stage

NOTE = re.compile(r"^(注|说明|备注|填表|单位|制表|审核|负责人|联系|数据来源|资料来源)")
NUMBERING = re.compile(r"^(\d{1,3}|[甲乙丙丁戊己庚辛壬癸])$")
DIGITS = re.compile(r"^[\d,.]+$")
SECTION_DECOR = re.compile(r"^([一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.])|(部分|学校|阶段|段)$")


@dataclass(slots=True)
class Row:
    """One school row as read: cell texts by column, and what was done to assemble it."""

    part: Part
    index: int
    texts: list[str]
    section: str | None = None
    notes: tuple[str, ...] = ()

    def where(self) -> str:
        g = self.part.grid
        page = f"第{g.page}页" if g.page else ""
        return f"{page}表{g.index}第{g.row_numbers[self.index]}行"

    def text(self, field_name: str) -> str:
        match = self.part.field(field_name)
        return "" if match is None else self.texts[match.index]


@dataclass
class TotalsRow:
    row: Row
    label: str
    scope: list[Row]


def _section(text: str) -> str | None:
    t = SECTION_DECOR.sub("", normalize(text))
    t = SECTION_DECOR.sub("", t)
    stage = vocabulary().rows["stage_sections"].get(t)
    return stage


def _is_numbering(filled: list[str]) -> bool:
    return len(filled) >= 3 and all(NUMBERING.match(normalize(t)) for t in filled)


def _is_header(filled: list[str]) -> bool:
    """A header repeated on a continuation page: no figures, and headers for three fields or more."""
    return not any(DIGITS.match(normalize(t)) for t in filled) and coverage(filled) >= 3


def _numbers(texts: list[str], part: Part) -> tuple[int, int]:
    cols = [m.index for m in part.matches if m.field in NUMERIC_FIELDS]
    return sum(1 for j in cols if texts[j].strip()), len(cols)


def _incomplete(row: Row) -> bool:
    """No readable stage (when the table has a stage column), or fewer than half the figures."""
    stage = row.part.field("stage")
    if stage is not None and parse_stage(row.texts[stage.index]) is None:
        return True
    filled, total = _numbers(row.texts, row.part)
    return filled * 2 < total


def _crosses_page(prev: Row, row: Row) -> bool:
    a, b = prev.part.grid, row.part.grid
    return a is not b and a.page is not None and b.page == a.page + 1


def _is_fragment(row: Row, prev: Row) -> bool:
    """The rest of the row before: with a stage column, a row without a stage; without one, a row
    with fewer than half its figures."""
    if prev.part.grid.width != row.part.grid.width:
        return False
    stage = row.part.field("stage")
    if stage is not None:
        return not row.texts[stage.index].strip()
    filled, total = _numbers(row.texts, row.part)
    return filled * 2 < total


def _join_fragments(rows: list[Row]) -> list[Row]:
    """Rejoin rows split by a page boundary (either half incomplete: the half at the page's foot
    takes the rest) and continuation lines within a page (a fragment joins the row above)."""
    out: list[Row] = []
    for k, row in enumerate(rows):
        prev = out[-1] if out else None
        nxt = rows[k + 1] if k + 1 < len(rows) else None
        if prev is not None and _crosses_page(prev, row):
            if prev.part.grid.width == row.part.grid.width and (_incomplete(prev) or _incomplete(row)):
                _join(prev, row)
                continue
        elif prev is not None and _is_fragment(row, prev) and not (nxt and _crosses_page(row, nxt)):
            _join(prev, row)
            continue
        out.append(row)
    return out


def _join(prev: Row, frag: Row) -> None:
    """Cell by cell: a wrapped name continues ("喀什市第十二" + "中学"), an empty cell is filled."""
    for j, text in enumerate(frag.texts):
        if text.strip():
            prev.texts[j] = (prev.texts[j].rstrip() + text.strip()) if prev.texts[j].strip() else text
    prev.notes += (f"与{frag.where()}拼接",)


def body_rows(parts: list[Part]) -> tuple[list[Row], list[TotalsRow]]:
    """School rows in order, and totals rows with the rows each one sums."""
    totals_re = re.compile(vocabulary().rows["totals"])
    rows: list[Row] = []
    totals: list[TotalsRow] = []
    section: str | None = None
    since_total = since_sub = 0
    for part in parts:
        width = part.grid.width
        name_col = next(m.index for m in part.matches if m.field == "name")
        for i in range(part.body_start, len(part.grid.rows)):
            texts = cells(part.grid.rows[i], width)
            filled = [t for t in texts if t.strip()]
            if not filled or _is_numbering(filled) or is_unit_row(texts) or _is_header(filled):
                continue
            label = normalize(texts[name_col]) or normalize(filled[0])
            if totals_re.match(label):
                start = since_sub if label.startswith(("小计", "小学小计", "初中小计")) else since_total
                totals.append(TotalsRow(Row(part, i, texts), label, rows[start:]))
                since_sub = len(rows)
                if not label.endswith("小计"):
                    since_total = len(rows)
                continue
            raw = part.grid.rows[i]
            if len(filled) == 1:
                merged = part.grid.page is None or sum(c is None for c in raw) >= len(raw) - 1
                stage = _section(filled[0]) if merged else None
                if stage:
                    section, since_sub = stage, len(rows)
                    continue
                if NOTE.match(normalize(filled[0])):
                    continue
            rows.append(Row(part, i, texts, section))
    rows = _join_fragments(rows)
    alive = {id(r) for r in rows}
    for t in totals:
        t.scope[:] = [r for r in t.scope if id(r) in alive]
    _carry_names(rows)
    return rows, totals


def _carry_names(rows: list[Row]) -> None:
    """A nine-year school's name cell merged over its two stage rows reaches only the first."""
    for prev, row in zip(rows, rows[1:]):
        if row.text("name").strip() or not prev.text("name").strip():
            continue
        row.texts[row.part.field("name").index] = prev.text("name")
        row.notes += ("学校名称取自上一行（合并单元格）",)


_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _name_stage_suffix() -> re.Pattern:
    return re.compile(vocabulary().rows["name_stage_suffix"])


def resolve_stage(row: Row) -> tuple[str, str, str]:
    """(name, stage as 小学/初中, how the stage was known) for a row; stage '' when unknown."""
    name = _SPACES.sub("", row.text("name"))
    suffix = _name_stage_suffix()
    written = row.text("stage")
    found = suffix.search(name)
    from_suffix = None
    if found:
        from_suffix = STAGE_NAMES.get(found.group(1)[:2])
        name = name[: found.start()]
    stage = parse_stage(written)
    if stage:
        return name, _zh(stage), ""
    if normalize(written) in NON_COMPULSORY:      # 高中: kept as written, left out by build_table
        return name, normalize(written), ""
    if from_suffix:
        return name, _zh(from_suffix), f"学段由校名“{found.group(0)}”推定"
    if row.section:
        return name, _zh(row.section), f"学段由分段标题“{_zh(row.section)}”推定"
    caption = normalize(row.part.notes).replace("中小学", "")
    if ("小学" in caption) != ("初中" in caption):
        stage = "primary" if "小学" in caption else "junior"
        return name, _zh(stage), f"学段由表题推定（{_zh(stage)}）"
    if re.search(r"小学$", name):
        return name, "小学", "学段由校名推定"
    if re.search(r"(初级中学|初中|中学)$", name):
        return name, "初中", "学段由校名推定"
    return name, written, ""


def _zh(stage: str) -> str:
    return {"primary": "小学", "junior": "初中"}[stage]
