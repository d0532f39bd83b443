"""The school table's canonical columns (学校数据表的标准列) and the units their headers may carry."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache

from inspection.standard import STANDARDS_DIR


@dataclass(frozen=True, slots=True)
class Column:
    field: str          # the engine's name, e.g. "equipment_value"
    header: str         # canonical header, e.g. "教学仪器设备值（万元）"
    kind: str           # text | stage | count | amount
    unit: str = ""      # unit the engine computes in
    header_unit: str = ""
    shared: bool = False  # a resource a nine-year school may report once for both stages
    optional: bool = False  # a table without it is still read
    default: float | None = None  # an optional figure's value when absent (None: unknown, NaN)

    @property
    def bare_header(self) -> str:
        return strip_unit(self.header)[0]


_UNIT_RE = re.compile(r"[（(]\s*([^（）()]*?)\s*[)）]\s*$")


def strip_unit(header: str) -> tuple[str, str | None]:
    """'教学仪器设备值（万元）' → ('教学仪器设备值', '万元'); a header without a unit → (header, None)."""
    text = re.sub(r"\s+", "", header)
    match = _UNIT_RE.search(text)
    if not match:
        return text, None
    return text[: match.start()], match.group(1)


@lru_cache(maxsize=1)
def _spec() -> dict:
    return tomllib.loads((STANDARDS_DIR / "school-table.toml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def canonical_columns() -> tuple[Column, ...]:
    return tuple(Column(**c) for c in _spec()["columns"])


@lru_cache(maxsize=1)
def _by_field() -> dict[str, Column]:
    return {c.field: c for c in canonical_columns()}


def unit_factors() -> dict[str, float]:
    """Multipliers from a header unit to the engine's unit (万元 → 元 is 10000)."""
    return dict(_spec()["units"])


def column(field: str) -> Column:
    """The canonical column of `field` (looked up once per cell: a dict, not a search)."""
    return _by_field()[field]


NUMERIC_FIELDS = tuple(c.field for c in canonical_columns() if c.kind in ("count", "amount"))
