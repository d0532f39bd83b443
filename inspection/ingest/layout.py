"""Find the school table among a document's grids and where its header rows are (表头定位).

A school table is any grid whose header rows (one to three, joined top to bottom) cover every
canonical column; a grid without headers on the page after such a table, as wide as it, continues it
(pdfplumber never joins tables across pages). Title, unit and note rows above the header become
`notes`, where units such as "单位：万元" are looked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

from inspection.errors import TableError
from inspection.ingest.headers import HeaderMatch, coverage, map_headers, normalize
from inspection.ingest.model import Grid

HEADER_SCAN = 12       # header rows are looked for among a grid's first rows
MAX_HEADER_ROWS = 3
MIN_COVERAGE = 5       # fields a grid's headers must cover to be taken for a school table


@dataclass(frozen=True)
class Part:
    """A grid's share of the school table: its body starts at `body_start`; `matches` map columns."""

    grid: Grid
    body_start: int
    matches: tuple[HeaderMatch, ...]
    headers: tuple[str, ...]
    notes: str

    def field(self, name: str) -> HeaderMatch | None:
        return self._first_match.get(name)

    @cached_property
    def _first_match(self) -> dict[str, HeaderMatch]:
        """The first match of each field: asked of every row several times, a search each time was slow."""
        found: dict[str, HeaderMatch] = {}
        for m in self.matches:
            found.setdefault(m.field, m)
        return found


def cells(row: Sequence[str | None], width: int) -> list[str]:
    # Asked of every body row: a row without merged cells (most) is converted in C
    texts = list(map(str, row)) if None not in row else [("" if c is None else str(c)) for c in row]
    return texts + [""] * (width - len(row))


def joined_headers(rows: Sequence[Sequence[str | None]], width: int) -> list[str]:
    """Join header rows per column. A group header ("专任教师" over 体育, 艺术) is carried right over
    the empty cells of its span, but only where both columns have a sub-header underneath."""
    grid = [cells(r, width) for r in rows]
    for r in range(len(grid) - 1):
        for j in range(1, width):
            if not grid[r][j].strip() and grid[r][j - 1].strip() and grid[r + 1][j].strip() \
                    and grid[r + 1][j - 1].strip():
                grid[r][j] = grid[r][j - 1]
    out = []
    for j in range(width):
        parts: list[str] = []
        for r in range(len(grid)):
            text = re.sub(r"\s+", "", grid[r][j])
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        out.append("".join(parts))
    return out


_UNIT_CELL = re.compile(r"[(（]?(单位[:：]?)?(万元|千元|元|平方米|平米|m2|m²|㎡|人|个|间|所)[)）]?")


def is_unit_row(row: Sequence[str | None]) -> bool:
    """Every filled cell is a unit (单位：万元, 人, ㎡); asked of every body row, so it stops at the
    first cell that is not (a school's name)."""
    seen = False
    for cell in row:
        text = normalize(cell)
        if not text:
            continue
        if not _UNIT_CELL.fullmatch(text):
            return False
        seen = True
    return seen


def _header_window(grid: Grid) -> tuple[int, int, list[str], int] | None:
    """(start, end, joined headers, coverage) of the best header window, or None."""
    best = None
    limit = min(HEADER_SCAN, len(grid.rows))
    for start in range(limit):
        for size in range(1, MAX_HEADER_ROWS + 1):
            end = start + size
            if end > len(grid.rows):
                break
            headers = joined_headers(grid.rows[start:end], grid.width)
            score = coverage(headers)
            if best is None or score > best[3]:
                best = (start, end, headers, score)
    if best is None or best[3] < MIN_COVERAGE:
        return None
    start, end, headers, score = best
    while end < len(grid.rows) and is_unit_row(grid.rows[end]):  # a row of units under the header
        headers = [h + u for h, u in zip(headers, cells(grid.rows[end], grid.width))]
        end += 1
    return start, end, headers, score


def _notes(grid: Grid, start: int) -> str:
    above = [" ".join(c for c in cells(r, grid.width) if c) for r in grid.rows[:start]]
    below = [" ".join(c for c in cells(r, grid.width) if c) for r in grid.rows[-3:]]
    return "\n".join([grid.caption, *above, *[b for b in below if "单位" in b]])


def find_parts(grids: Sequence[Grid], *, file: str) -> list[Part]:
    """The grids that make up the school table, in document order, with their column mappings.

    Raises `TableError` (from `map_headers`) for the best candidate when no grid maps completely, so
    the message lists the headers seen and expected; returns [] when no grid looks like one."""
    parts: list[Part] = []
    candidates = []
    for grid in grids:
        window = _header_window(grid)
        if window is not None:
            start, end, headers, score = window
            notes = _notes(grid, start)
            try:
                # a scan's header may have lost its unit to OCR: the form's, and its figures confirmed
                matches = map_headers(headers, file=file, notes=notes, assume_units=bool(grid.scan))
            except TableError as exc:  # kept to report if no grid maps fully
                candidates.append((score, exc))
                continue
            parts.append(Part(grid, end, tuple(matches), tuple(headers), notes))
        elif parts and _continues(parts[-1].grid, grid):
            prev = parts[-1]
            parts.append(Part(grid, 0, prev.matches, prev.headers, prev.notes))
    if not parts and candidates:
        raise max(candidates, key=lambda c: c[0])[1]
    return parts


def _continues(prev: Grid, grid: Grid) -> bool:
    """A headerless grid at the top of the next page, as wide as the table before it."""
    if prev.page is None or grid.page is None or grid.page != prev.page + 1:
        return False
    return grid.index == prev.index + 1 and grid.width == prev.width
