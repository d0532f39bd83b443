"""Map a table's headers (表头) to the canonical columns, whatever their order and wording.

The vocabulary is data (`inspection/standards/table-headers.toml`, validated on loading): per field,
rules of `all` and `none` patterns; combined columns (体育、艺术专任教师); columns that are parts of
one field (音乐教师 + 美术教师); units and their dimensions. `map_headers` returns one `HeaderMatch`
per canonical field found (one per part when a field is given in parts), with the factor that
converts the header's unit to the engine's, and raises `TableError` / `AmbiguousColumnError` rather
than guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from inspection.columns import NUMERIC_FIELDS, canonical_columns, column, unit_factors
from inspection.errors import StandardError, TableError
from inspection.ingest.errors import AmbiguousColumnError
from inspection.standard import STANDARDS_DIR, read_rule_toml, validate_rule_data

_PUNCT = re.compile(r"[\s、,，.。:：;；/\\\-_·•*\"'“”‘’《》〈〉【】\[\]()（）{}]+")
# A stage may come from section rows, a title or the school's name; optional columns (班级数) may be absent.
OPTIONAL = frozenset({"stage"} | {c.field for c in canonical_columns() if c.optional})


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """Column `index` (headed `header`) holds `field`; multiply its cells by `factor`.

    `combined` lists the fields a combined column stands for (its figure goes to `field`); `part`
    numbers the declared part of `field` this column holds (several matches then share `field`, and
    the field's figure is the sum of their cells)."""

    field: str
    index: int
    header: str
    factor: float
    unit: str = ""
    combined: tuple[str, ...] = ()
    part: int | None = None
    unit_assumed: bool = False      # a scanned header whose unit was not read: the form's unit, to confirm


# The note on the provenance of a figure whose column's unit is the form's, not one read (a scan)
UNIT_ASSUMED = "表头单位未能识别，按表式单位计"


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
    parts: dict[str, tuple[_Rule, ...]]          # field → one rule per declared part (音乐, 美术)


# The file's shape, checked with the rule-data validator every standards file goes through.
class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _compiles(patterns: tuple[str, ...]) -> tuple[str, ...]:
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"正则表达式“{pattern}”无效 / invalid regular expression: {exc}") from None
    return patterns


class RuleSpec(_Spec):
    """One rule: every `all` pattern found, no `none` pattern found."""

    all: tuple[str, ...] = Field(min_length=1)
    none: tuple[str, ...] = ()

    _check = field_validator("all", "none")(_compiles)


class FieldSpec(_Spec):
    rules: tuple[RuleSpec, ...] = Field(min_length=1)


class CombinedSpec(_Spec):
    fields: tuple[str, ...] = Field(min_length=2)
    into: str
    rules: tuple[RuleSpec, ...] = Field(min_length=1)


class PartsSpec(_Spec):
    """A field reported in separate columns: one rule per part, at least two parts."""

    parts: tuple[RuleSpec, ...] = Field(min_length=2)


class UnitSpec(_Spec):
    unit: str
    dimension: str


class HeaderSpec(_Spec):
    version: int
    ignore: tuple[str, ...] = ()
    fields: dict[str, FieldSpec]
    combined: dict[str, CombinedSpec] = {}
    parts: dict[str, PartsSpec] = {}
    units: dict[str, UnitSpec]
    dimensions: dict[str, tuple[str, ...]] = {}
    rows: dict

    _check = field_validator("ignore")(_compiles)


WHAT = ("表头规则文件", "header rule file")


def _refuse(path: Path, record: str, zh: str, en: str) -> StandardError:
    return StandardError(f"{WHAT[0]} {path.name} 的记录 {record} 有误：{zh}",
                         f"{WHAT[1]} {path.name}, record {record}: {en}", file=str(path), record=record)


def _cross_check(spec: HeaderSpec, path: Path) -> None:
    """Names that must agree across tables: fields are canonical columns; combined columns and
    parts name fields of [fields]; only figures may be summed from parts."""
    known = {c.field for c in canonical_columns()}
    for name in spec.fields:
        if name not in known:
            raise _refuse(path, f"fields.{name}", f"“{name}”不是学校数据表的标准列",
                          f"'{name}' is not a canonical column of the school table")
    for name, c in spec.combined.items():
        for f in (*c.fields, c.into):
            if f not in spec.fields:
                raise _refuse(path, f"combined.{name}", f"“{f}”不是 [fields] 中的字段", f"'{f}' is not in [fields]")
        if c.into not in c.fields:
            raise _refuse(path, f"combined.{name}", f"into“{c.into}”不在 fields 中", f"into '{c.into}' is not one of fields")
    for name in spec.parts:
        if name not in spec.fields:
            raise _refuse(path, f"parts.{name}", f"“{name}”不是 [fields] 中的字段", f"'{name}' is not in [fields]")
        if name not in NUMERIC_FIELDS:
            raise _refuse(path, f"parts.{name}", f"“{name}”不是数字列，不能由几列相加",
                          f"'{name}' is not a figure and cannot be summed from parts")


def _rules(records: Sequence[RuleSpec]) -> tuple[_Rule, ...]:
    return tuple(_Rule(tuple(map(re.compile, r.all)), tuple(map(re.compile, r.none))) for r in records)


def load_vocabulary(path: Path | str | None = None) -> Vocabulary:
    """Read and validate a header rule file (default: the shipped `table-headers.toml`); a malformed
    record is a `StandardError` naming the file, the record and the field."""
    path = Path(path) if path is not None else STANDARDS_DIR / "table-headers.toml"
    spec = validate_rule_data(HeaderSpec, read_rule_toml(path, WHAT), path, WHAT)
    _cross_check(spec, path)
    rules = {name: _rules(f.rules) for name, f in spec.fields.items()}
    combined = {}
    for name, c in spec.combined.items():
        rules[name] = _rules(c.rules)
        combined[name] = (tuple(c.fields), c.into)
    parts = {name: _rules(p.parts) for name, p in spec.parts.items()}
    units = tuple(sorted(((k, v.unit, v.dimension) for k, v in spec.units.items()), key=lambda u: -len(u[0])))
    dims = {f: d for d, fields in spec.dimensions.items() for f in fields}
    return Vocabulary(tuple(map(re.compile, spec.ignore)), rules, combined, units, dims, dict(spec.rows), parts)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def normalize(text: object) -> str:
    """NFKC (full-width → ASCII, ㎡ → m2) without whitespace; `None` → ''. Asked of every cell a body
    row is checked by: `split()` drops the same whitespace (the characters `str.isspace` names) as a
    regular expression would, in half the time."""
    return "".join(unicodedata.normalize("NFKC", "" if text is None else str(text)).split())


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


def _factor(field: str, header: str, notes: str, file: str, assume_unit: bool = False) -> tuple[float, str, bool]:
    """(factor to the canonical unit, the unit, whether it was assumed). A scanned header
    (`assume_unit`) whose amount unit OCR did not read ("教学仪器设备佳:万") takes the form's unit;
    its figures are then to be confirmed (`ocr_review`). A text header without one is refused."""
    col = column(field)
    dim = vocabulary().dimensions.get(field)
    if dim is None:
        return 1.0, col.unit, False
    unit = find_unit(header, dim) or note_unit(notes, dim)
    if unit is None and dim == "area":
        unit = "平方米"
    if unit is None and assume_unit:
        return 1.0, col.unit, True
    if unit is None:
        raise AmbiguousColumnError(
            f"{file}：“{header}”列没有注明单位（元或万元），无法确定金额，请在表头或表注中注明单位",
            f"{file}: column '{header}' does not state its unit (元 or 万元); add it to the header or a note",
            file=file, column=header)
    factors = unit_factors()
    return factors[unit] / factors[col.unit], unit, False


def map_headers(headers: Sequence[object], *, file: str, notes: str = "", assume_units: bool = False) -> list[HeaderMatch]:
    """Map every canonical column to one of `headers`; raise listing seen and expected headers.

    Headers that each match a different declared part of one field (`[parts]`: 音乐教师, 美术教师)
    all map to it, one match per part, and the field's figure is their sum. Raises `TableError` when
    a needed column is missing and `AmbiguousColumnError` when two headers are equally good
    candidates for one column (and are not different parts of it) or an amount's unit is unknown."""
    vocab = vocabulary()
    best: dict[str, list[tuple[int, int]]] = {}
    for index, header in enumerate(headers):
        ranked = classify(header)
        if ranked:
            best.setdefault(ranked[0][0], []).append((ranked[0][1], index))
    seen = "、".join(display(h) for h in headers if display(h)) or "（无）"
    expected = "、".join(c.header for c in canonical_columns())
    chosen: dict[str, int] = {}
    parted: dict[str, list[tuple[int, int]]] = {}
    for target, candidates in best.items():
        candidates.sort(reverse=True)
        split = _split(target, [i for _, i in candidates], headers) if len(candidates) > 1 else None
        if split:
            parted[target], chosen[target] = split, split[0][0]
            continue
        if len(candidates) > 1 and candidates[0][0] == candidates[1][0]:
            names = "”与“".join(display(headers[i]) for _, i in candidates[:2])
            raise AmbiguousColumnError(
                f"{file}：“{names}”都可能是“{_label(target)}”，无法确定。表头为：{seen}；应有：{expected}",
                f"{file}: headers '{names}' could each be '{_label(target)}'; headers seen: {seen}; "
                f"expected: {expected}", file=file, column=_label(target), seen=list(map(str, headers)))
        chosen[target] = candidates[0][1]
    matches: dict[object, HeaderMatch] = {}
    for target, index in chosen.items():
        if target in parted:
            for j, part in parted[target]:
                header = display(headers[j])
                factor, unit, assumed = _factor(target, header, notes, file, assume_units)
                matches[(target, j)] = HeaderMatch(target, j, header, factor, unit, part=part, unit_assumed=assumed)
        elif target in vocab.combined:
            fields, into = vocab.combined[target]
            if any(f in chosen for f in fields):
                continue  # separate columns win over a combined one
            header = display(headers[index])
            factor, unit, assumed = _factor(into, header, notes, file, assume_units)
            matches[into] = HeaderMatch(into, index, header, factor, unit, fields, unit_assumed=assumed)
        else:
            header = display(headers[index])
            factor, unit, assumed = _factor(target, header, notes, file, assume_units)
            matches[target] = HeaderMatch(target, index, header, factor, unit, unit_assumed=assumed)
    covered = {f for m in matches.values() for f in (m.combined or (m.field,))}
    missing = [c.header for c in canonical_columns() if c.field not in covered and c.field not in OPTIONAL]
    if missing:
        raise TableError(f"{file}：缺少列 {'、'.join(missing)}。表头为：{seen}；应有：{expected}",
                         f"{file}: missing column(s) {', '.join(missing)}; headers seen: {seen}; "
                         f"expected: {expected}", file=file, missing=missing, seen=list(map(str, headers)))
    return sorted(matches.values(), key=lambda m: m.index)


def _split(target: str, indexes: list[int], headers: Sequence[object]) -> list[tuple[int, int]] | None:
    """(column, part) for each of `indexes` when every one holds a different declared part of
    `target` (音乐教师, 美术教师 → art_teachers); None when `target` has no parts, or a column matches
    no part, two parts equally, or the same part as another column (then it stays ambiguous)."""
    part_rules = vocabulary().parts.get(target)
    if not part_rules:
        return None
    out = []
    for index in indexes:
        text = bare(headers[index])
        scores = sorted(((r.score(text), k) for k, r in enumerate(part_rules)), reverse=True)
        if scores[0][0] == 0 or (len(scores) > 1 and scores[1][0] == scores[0][0]):
            return None
        out.append((index, scores[0][1]))
    if len({part for _, part in out}) != len(out):
        return None
    return sorted(out)


def _label(target: str) -> str:
    if target in vocabulary().combined:
        return "、".join(column(f).bare_header for f in vocabulary().combined[target][0])
    return column(target).header


def match_headers(headers: Sequence[str], *, file: str) -> list[HeaderMatch]:
    """Backwards-compatible name for `map_headers` without notes."""
    return map_headers(headers, file=file)
