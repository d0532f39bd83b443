"""Map a table's headers (表头) to the canonical columns, whatever their order and wording.

The vocabulary is data (`inspection/standards/table-headers.toml`): per field, rules of `all` and
`none` patterns; combined columns (体育、艺术专任教师); units and their dimensions. `map_headers`
returns one `HeaderMatch` per canonical field found, with the factor that converts the header's
unit to the engine's, and raises `TableError` / `AmbiguousColumnError` rather than guess.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from inspection.columns import canonical_columns, column, unit_factors
from inspection.errors import TableError
from inspection.ingest.errors import AmbiguousColumnError
from inspection.standard import STANDARDS_DIR

_PUNCT = re.compile(r"[\s、,，.。:：;；/\\\-_·•*\"'“”‘’《》〈〉【】\[\]()（）{}]+")
OPTIONAL = frozenset({"stage"})  # a stage may come from section rows, a title or the school's name


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Column `index` (headed `header`) holds `field`; multiply its cells by `factor`.

    `combined` lists the fields a combined column stands for (its figure goes to `field`)."""

    field: str
    index: int
    header: str
    factor: float
    unit: str = ""
    combined: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Rule:
    all: tuple[re.Pattern, ...]
    none: tuple[re.Pattern, ...]

    def score(self, text: str) -> int:
        if any(p.search(text) for p in self.none):
            return 0
        total = 0
        for pattern in self.all:
            found = pattern.search(text)
            if not found:
                return 0
            total += max(1, len(found.group(0)))
        return total


@dataclass(frozen=True)
class Vocabulary:
    ignore: tuple[re.Pattern, ...]
    rules: dict[str, tuple[_Rule, ...]]          # target (field or combined name) → rules
    combined: dict[str, tuple[tuple[str, ...], str]]  # combined name → (fields, into)
    units: tuple[tuple[str, str, str], ...]      # (spelling, unit, dimension), longest first
    dimensions: dict[str, str]                   # field → dimension
    rows: dict


def _rules(records: list[dict]) -> tuple[_Rule, ...]:
    return tuple(_Rule(tuple(map(re.compile, r.get("all", []))), tuple(map(re.compile, r.get("none", []))))
                 for r in records)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    spec = tomllib.loads((STANDARDS_DIR / "table-headers.toml").read_text(encoding="utf-8"))
    rules = {name: _rules(f["rules"]) for name, f in spec["fields"].items()}
    combined = {}
    for name, c in spec.get("combined", {}).items():
        rules[name] = _rules(c["rules"])
        combined[name] = (tuple(c["fields"]), c["into"])
    units = tuple(sorted(((k, v["unit"], v["dimension"]) for k, v in spec["units"].items()),
                         key=lambda u: -len(u[0])))
    dims = {f: d for d, fields in spec["dimensions"].items() for f in fields}
    return Vocabulary(tuple(map(re.compile, spec["ignore"])), rules, combined, units, dims, spec["rows"])


def normalize(text: object) -> str:
    """NFKC (full-width → ASCII, ㎡ → m2) without whitespace; `None` → ''."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", "" if text is None else str(text)))


def display(text: object) -> str:
    """A header as written, without line breaks or spaces (for messages and provenance)."""
    return re.sub(r"\s+", "", "" if text is None else str(text))


def bare(text: object) -> str:
    """A header reduced for matching: no units in brackets, no 单位 notes, no punctuation."""
    t = normalize(text).replace("²", "2")
    t = re.sub(r"[(（][^()（）]*[)）]", lambda m: "" if _has_unit(m.group(0)) else m.group(0), t)
    t = re.sub(r"单位[:：]?\S*$", "", t)
    return _PUNCT.sub("", t)


def _has_unit(text: str) -> bool:
    return any(spelling in text for spelling, _, _ in vocabulary().units) or "单位" in text


def classify(header: object) -> list[tuple[str, int]]:
    """(target, strength) for every field or combined column `header` may be, strongest first."""
    return list(_classify(bare(header)))


@lru_cache(maxsize=8192)
def _classify(text: str) -> tuple[tuple[str, int], ...]:
    vocab = vocabulary()
    if not text or any(p.search(text) for p in vocab.ignore):
        return ()
    found = [(name, max(r.score(text) for r in rules)) for name, rules in vocab.rules.items()]
    return tuple(sorted(((n, s) for n, s in found if s > 0), key=lambda x: -x[1]))


def _targets(name: str) -> tuple[str, ...]:
    combined = vocabulary().combined.get(name)
    return combined[0] if combined else (name,)


def coverage(headers: Sequence[object]) -> int:
    """How many canonical fields these headers would cover (used to find the header rows)."""
    covered: set[str] = set()
    for h in headers:
        best = classify(h)
        if best:
            covered.update(_targets(best[0][0]))
    return len(covered)


def find_unit(text: str, dimension: str) -> str | None:
    """The first unit of `dimension` written in `text` ('金额单位：万元' → '万元')."""
    t = normalize(text).replace("²", "2")
    for spelling, unit, dim in vocabulary().units:
        if dim == dimension and spelling in t:
            return unit
    return None


def note_unit(notes: str, dimension: str) -> str | None:
    """A unit stated in a note above or below the table ('单位：万元、平方米', '面积单位：㎡')."""
    for match in re.finditer(r"(\S{0,4})单位[:：]?([^；;。\n]*)", normalize(notes)):
        prefix, body = match.groups()
        if prefix.endswith(("金额", "资金", "价值", "产值")) and dimension != "money":
            continue
        if prefix.endswith("面积") and dimension != "area":
            continue
        unit = find_unit(body, dimension)
        if unit:
            return unit
    return None


def _factor(field: str, header: str, notes: str, file: str) -> tuple[float, str]:
    col = column(field)
    dim = vocabulary().dimensions.get(field)
    if dim is None:
        return 1.0, col.unit
    unit = find_unit(header, dim) or note_unit(notes, dim)
    if unit is None and dim == "area":
        unit = "平方米"
    if unit is None:
        raise AmbiguousColumnError(
            f"{file}：“{header}”列没有注明单位（元或万元），无法确定金额，请在表头或表注中注明单位",
            f"{file}: column '{header}' does not state its unit (元 or 万元); add it to the header or a note",
            file=file, column=header)
    factors = unit_factors()
    return factors[unit] / factors[col.unit], unit


def map_headers(headers: Sequence[object], *, file: str, notes: str = "") -> list[HeaderMatch]:
    """Map every canonical column to one of `headers`; raise listing seen and expected headers.

    Raises `TableError` when a needed column is missing and `AmbiguousColumnError` when two headers
    are equally good candidates for one column or an amount's unit is unknown."""
    vocab = vocabulary()
    best: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        ranked = classify(header)
        if ranked:
            best.setdefault(ranked[0][0], []).append((ranked[0][1], index))
    seen = "、".join(display(h) for h in headers if display(h)) or "（无）"
    expected = "、".join(c.header for c in canonical_columns())
    chosen: dict[str, int] = {}
    for target, candidates in best.items():
        candidates.sort(reverse=True)
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            names = "”与“".join(display(headers[i]) for _, i in candidates[:2])
            raise AmbiguousColumnError(
                f"{file}：“{names}”都可能是“{_label(target)}”，无法确定。表头为：{seen}；应有：{expected}",
                f"{file}: headers '{names}' could each be '{_label(target)}'; headers seen: {seen}; "
                f"expected: {expected}", file=file, column=_label(target), seen=list(map(str, headers)))
        chosen[target] = candidates[0][1]
    matches: dict[str, HeaderMatch] = {}
    for target, index in chosen.items():
        if target in vocab.combined:
            fields, into = vocab.combined[target]
            if any(f in chosen for f in fields):
                continue  # separate columns win over a combined one
            header = display(headers[index])
            factor, unit = _factor(into, header, notes, file)
            matches[into] = HeaderMatch(into, index, header, factor, unit, fields)
        else:
            header = display(headers[index])
            factor, unit = _factor(target, header, notes, file)
            matches[target] = HeaderMatch(target, index, header, factor, unit)
    covered = {f for m in matches.values() for f in (m.combined or (m.field,))}
    missing = [c.header for c in canonical_columns() if c.field not in covered and c.field not in OPTIONAL]
    if missing:
        raise TableError(f"{file}：缺少列 {'、'.join(missing)}。表头为：{seen}；应有：{expected}",
                         f"{file}: missing column(s) {', '.join(missing)}; headers seen: {seen}; "
                         f"expected: {expected}", file=file, missing=missing, seen=list(map(str, headers)))
    return sorted(matches.values(), key=lambda m: m.index)


def _label(target: str) -> str:
    if target in vocabulary().combined:
        return "、".join(column(f).bare_header for f in vocabulary().combined[target][0])
    return column(target).header


def match_headers(headers: Sequence[str], *, file: str) -> list[HeaderMatch]:
    """Backwards-compatible name for `map_headers` without notes."""
    return map_headers(headers, file=file)
