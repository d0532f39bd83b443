"""Map a table's headers to the canonical columns, with the unit each header declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from inspection.columns import Column, canonical_columns, strip_unit, unit_factors
from inspection.errors import TableError


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    field: str
    index: int
    header: str
    factor: float  # multiply the cell by this to get the engine's unit


def _factor(col: Column, unit: str | None, header: str, file: str) -> float:
    units = unit_factors()
    unit = unit or col.header_unit or col.unit
    if not col.unit:
        return 1.0
    if unit not in units:
        raise TableError(f"{file}：“{header}”列的单位“{unit}”无法识别",
                         f"{file}: unknown unit '{unit}' in column {header}", file=file, column=header)
    return units[unit] / units[col.unit]


def match_headers(headers: Sequence[str], *, file: str) -> list[HeaderMatch]:
    """Find each canonical column among `headers`; raise `TableError` listing what is missing."""
    by_bare = {c.bare_header: c for c in canonical_columns()}
    matches: dict[str, HeaderMatch] = {}
    for index, header in enumerate(headers):
        bare, unit = strip_unit(str(header or ""))
        col = by_bare.get(bare)
        if col is None or col.field in matches:
            continue
        matches[col.field] = HeaderMatch(col.field, index, str(header), _factor(col, unit, str(header), file))
    missing = [c.header for c in canonical_columns() if c.field not in matches]
    if missing:
        seen = "、".join(str(h) for h in headers if str(h or "").strip()) or "（无）"
        raise TableError(
            f"{file}：缺少列 {'、'.join(missing)}。表头为：{seen}",
            f"{file}: missing column(s) {', '.join(missing)}; headers seen: {seen}",
            file=file, missing=missing, seen=list(headers))
    return list(matches.values())
