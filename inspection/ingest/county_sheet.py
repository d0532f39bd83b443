"""The county-level indicator table (县级指标表): the `县级指标` sheet of the workbook, or the tables of
the self-assessment outline, read into one `CountyFigure` per indicator, each with its provenance.

Any grid whose header row has `编号` and `本县数值` (or year columns, 2023年 …) is such a table, in
whatever format it came; rows are matched to the loaded standard's county-level indicators by 编号.
How a value is written depends on the indicator, and a value that does not fit is an error naming
the file, the row and what was expected — never a guess:

    judged (定性)        是 / 否
    grade (等级)         one of the scale's words (Q9: 优秀、良好、中等 …)
    number               96.5 or 96.5% (a percentage may not exceed 100); never negative
    per stage            小学100；初中96
    multi-year           one column a year (2023年, 2024年, 2025年), every year of the figure filled

A blank 本县数值 is no figure: the indicator stays pending (待核实), as it would with no sheet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Mapping, Sequence

from inspection.errors import TableError
from inspection.ingest.model import Grid, Source
from inspection.rules.county import CountyFigure
from inspection.standard import STAGE_ZH, Indicator, Standard
from inspection.table import Provenance, parse_number

SHEET_NAME = "县级指标"
ID_HEADER, VALUE_HEADER, EVIDENCE_WORD = "编号", "本县数值", "佐证"
_YEAR = re.compile(r"^(\d{4})(年|年度)?(数值)?$")
_YES, _NO = {"是", "达标", "符合"}, {"否", "未达标", "不符合"}
_STAGE_VALUE = re.compile(r"(小学|初中)[^0-9０-９.\-]*([0-9０-９][0-9０-９.,，]*)\s*[%％]?")


@dataclass(frozen=True)
class CountySheet:
    """What a county declared: `figures` by indicator id (only those filled in) and where each came from."""

    figures: dict[str, CountyFigure]
    provenance: dict[str, Provenance]
    rows: int                               # indicator rows seen, filled or not


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


@dataclass(frozen=True)
class _Layout:
    header_row: int
    id_col: int
    value_col: int | None
    evidence_col: int | None
    year_cols: dict[int, int]               # year → column
    headers: tuple[str, ...]


def _layout(grid: Grid) -> _Layout | None:
    for r, row in enumerate(grid.rows[:4]):
        heads = tuple(_norm(c) for c in row)
        if ID_HEADER not in heads:
            continue
        years = {int(m.group(1)): j for j, h in enumerate(heads) if (m := _YEAR.match(h))}
        value = heads.index(VALUE_HEADER) if VALUE_HEADER in heads else None
        if value is None and not years:
            continue
        evidence = next((j for j, h in enumerate(heads) if EVIDENCE_WORD in h), None)
        return _Layout(r, heads.index(ID_HEADER), value, evidence, years, heads)
    return None


def is_county_grid(grid: Grid) -> bool:
    """Whether a grid is a county-level indicator table (and so not part of the school table)."""
    return _layout(grid) is not None


class _Row:
    """One indicator row, for messages and provenance."""

    def __init__(self, grid: Grid, index: int, source: Source, ind: Indicator):
        self.grid, self.index, self.source, self.ind = grid, index, source, ind
        self.number = grid.row_numbers[index]

    def where(self) -> str:
        sheet = f"工作表“{self.grid.sheet}”" if self.grid.sheet else f"表{self.grid.index}"
        page = f"第{self.grid.page}页" if self.grid.page else ""
        return f"{self.source.file} {page}{sheet}第{self.number}行（{self.ind.id}）"

    def error(self, zh: str, en: str, column: str) -> TableError:
        return TableError(f"{self.where()}：{zh}", f"{self.source.file} row {self.number} ({self.ind.id}): {en}",
                          file=self.source.file, row=self.number, column=column, indicator=self.ind.id)

    def provenance(self, column: str, raw: str) -> Provenance:
        return Provenance(file=self.source.file, sha256=self.source.sha256, row=self.number, column=column,
                          raw=raw, page=self.grid.page, table=self.grid.index,
                          note=f"工作表“{self.grid.sheet}”" if self.grid.sheet else "")


def _cell(grid: Grid, index: int, col: int | None) -> str:
    if col is None:
        return ""
    row = grid.rows[index]
    return (row[col] or "").strip() if col < len(row) else ""


class ValueProblem(ValueError):
    """A county figure written in a way its indicator does not take: the messages say what was expected."""

    def __init__(self, zh: str, en: str, column: str = VALUE_HEADER):
        super().__init__(en)
        self.zh, self.en, self.column = zh, en, column


def _number(ind: Indicator, text: str, column: str = VALUE_HEADER) -> float:
    percent = text.endswith(("%", "％"))
    try:
        value = parse_number(text.rstrip("%％"))
    except ValueError:
        raise ValueProblem(f"“{text}”不是数字，{ind.wording}应填数值（单位：{ind.unit or '无'}）",
                           f"'{text}' is not a number", column) from None
    if value is None:
        raise ValueProblem("数值为空", "empty value", column)
    if value < 0:
        raise ValueProblem(f"“{text}”为负数，不能填负数", f"'{text}' is negative", column)
    if (percent or ind.unit.startswith("%")) and value > 100:
        raise ValueProblem(f"“{text}”是百分比，不能超过100", f"'{text}' is a percentage over 100", column)
    return value


def parse_value(ind: Indicator, text: str) -> object:
    """A single (not multi-year) county figure from its written form; raises `ValueProblem`."""
    text = text.strip()
    if ind.judged:
        if text in _YES or text in _NO:
            return text in _YES
        raise ValueProblem(f"“{text}”应填“是”或“否”（定性指标，由督导评估认定）",
                           f"'{text}': 是 or 否 expected (a judged indicator)")
    if ind.comparator == "grade":
        if text in ind.scale:
            return text
        raise ValueProblem(f"“{text}”应为以下等级之一：{'、'.join(ind.scale)}",
                           f"'{text}' is not one of the grades {', '.join(ind.scale)}")
    if isinstance(ind.threshold, dict):
        found = {("primary" if m.group(1) == "小学" else "junior"): m.group(2)
                 for m in _STAGE_VALUE.finditer(unicodedata.normalize("NFKC", text))}
        missing = [STAGE_ZH[s] for s in ind.threshold if s not in found]
        if missing:
            example = "；".join(f"{STAGE_ZH[s]}{v:g}" for s, v in ind.threshold.items())
            raise ValueProblem(f"“{text}”缺少{'、'.join(missing)}数值，请按“{example}”的格式分学段填写",
                               f"'{text}' lacks the {', '.join(missing)} figure; write e.g. '{example}'")
        return {stage: _number(ind, found[stage]) for stage in ind.threshold}
    return _number(ind, text)


def written(value: object) -> object:
    """A single figure as a county writes it in 本县数值 (the inverse of `parse_value`): 是/否,
    小学…；初中… for a per-stage figure; a number or a grade as it is."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Mapping):
        return "；".join(f"{STAGE_ZH.get(s, s)}{v:g}" for s, v in value.items())
    return value


def parse_years(ind: Indicator, given: Mapping[int, str]) -> dict[str, float]:
    """A multi-year figure from its year columns ({year: text}, blanks left out); every year of the
    last `ind.years` must be there. Raises `ValueProblem`."""
    last = max(given)
    needed = range(last - ind.years + 1, last + 1)
    missing = [y for y in needed if y not in given]
    if missing:
        raise ValueProblem(f"缺少{'、'.join(f'{y}年' for y in missing)}的数值（本项须连续{ind.years}年的数据）",
                           f"missing year(s) {', '.join(map(str, missing))} of a {ind.years}-year figure",
                           f"{missing[0]}年")
    return {str(y): _number(ind, given[y], f"{y}年") for y in needed}


def _years(row: _Row, layout: _Layout, value_text: str) -> dict[str, float] | None:
    filled = {y: _cell(row.grid, row.index, j) for y, j in sorted(layout.year_cols.items())}
    given = {y: t for y, t in filled.items() if t}
    if not given:
        if value_text:
            raise ValueProblem(f"是多年数据，请在各年度列（{'、'.join(f'{y}年' for y in filled) or '如2023年、2024年'}）"
                               f"逐年填写，而不是填在“{VALUE_HEADER}”列",
                               "a multi-year figure goes in the year columns, one a year")
        return None
    return parse_years(row.ind, given)


def understand_county_sheet(grids: Sequence[Grid], source: Source, standard: Standard) -> CountySheet | None:
    """Read every county-level indicator table among `grids`; None when there is none."""
    tables = [(g, lay) for g in grids if (lay := _layout(g)) is not None]
    if not tables:
        return None
    indicators: Mapping[str, Indicator] = {i.id: i for i in standard.county_indicators}
    known = {i.id.upper(): i.id for i in standard.county_indicators}
    figures: dict[str, CountyFigure] = {}
    provenance: dict[str, Provenance] = {}
    seen: dict[str, int] = {}
    rows = 0
    for grid, lay in tables:
        for index in range(lay.header_row + 1, len(grid.rows)):
            raw_id = _norm(_cell(grid, index, lay.id_col))
            if not raw_id:
                continue
            ind_id = known.get(raw_id.upper())
            if ind_id is None:
                number = grid.row_numbers[index]
                raise TableError(
                    f"{source.file} 第{number}行：编号“{raw_id}”不是标准{standard.id}的县级指标"
                    f"（应为{'、'.join(known.values())}之一）",
                    f"{source.file} row {number}: '{raw_id}' is not a county-level indicator of {standard.id}",
                    file=source.file, row=number, column=ID_HEADER)
            row = _Row(grid, index, source, indicators[ind_id])
            if ind_id in seen:
                raise row.error(f"与第{seen[ind_id]}行编号重复", f"repeats row {seen[ind_id]}", ID_HEADER)
            seen[ind_id] = row.number
            rows += 1
            text = _cell(grid, index, lay.value_col)
            evidence = _cell(grid, index, lay.evidence_col)
            try:
                if row.ind.multi_year:
                    value = _years(row, lay, text)
                    column = f"{min(value)}年至{max(value)}年" if value else ""
                    raw = "；".join(f"{y}年：{v:g}" for y, v in value.items()) if value else ""
                else:
                    value = parse_value(row.ind, text) if text else None
                    column, raw = VALUE_HEADER, text
            except ValueProblem as problem:
                raise row.error(problem.zh, problem.en, problem.column) from None
            if value is None:
                continue
            prov = row.provenance(column, raw)
            figures[ind_id] = CountyFigure(value, evidence, _describe(prov))
            provenance[ind_id] = prov
    return CountySheet(figures, provenance, rows)


def _describe(prov: Provenance) -> str:
    sheet = f"{prov.note}，" if prov.note else (f"表{prov.table}，" if prov.table else "")
    page = f"第{prov.page}页，" if prov.page else ""
    return f"{prov.file}，{page}{sheet}第{prov.row}行“{prov.column}”（原值“{prov.raw}”）"
