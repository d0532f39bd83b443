"""The standard as data: indicators, vetoes, options and a prefecture's schedule, loaded from TOML.

A standard file (`inspection/standards/<id>.toml`, or any path) lists indicator and veto records. A
file may `extends` another: its records replace the parent's field by field, matched by `id`, and new
ids are added. Loading validates every record with pydantic and raises `StandardError` naming the
file and the record at fault, so a typo in a threshold never reaches an evaluation.
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal, Union

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from inspection.errors import StandardError

STANDARDS_DIR = Path(__file__).with_name("standards")

Stage = Literal["primary", "junior"]
STAGES: tuple[Stage, ...] = ("primary", "junior")
STAGE_ZH = {"primary": "小学", "junior": "初中"}
AREA_ZH = {"resources": "资源配置", "guarantee": "政府保障程度", "quality": "教育质量",
           "recognition": "社会认可度"}
Threshold = Union[float, str, dict[str, float]]
OP_ZH = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "==": "等于"}   # comparators in words


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Formula(_Record):
    """value = sum(numerator fields) / denominator field × scale."""

    numerator: tuple[str, ...]
    denominator: str = "students"
    scale: float = 1.0


class Indicator(_Record):
    """One indicator (指标) of the standard, with the clause it comes from."""

    id: str
    area: Literal["resources", "guarantee", "quality", "recognition"]
    wording: str
    comparator: Literal[">=", ">", "<=", "<", "==", "grade", "judged", "non_decreasing"]
    threshold: Threshold | None = None
    unit: str = ""
    scope: Literal["school", "class", "county"]
    source: str
    formula: Formula | None = None
    scale: tuple[str, ...] | None = None
    computed: Literal["oversized_schools"] | None = None        # the school table gives the figure
    cross_check: Literal["oversized_classes"] | None = None     # the county's figure, checked against the table
    years: int | None = None          # a multi-year figure: this many consecutive years (逐年只增不减)
    verify: str | None = None         # an assumption the sources do not fix: shown as 暂定，待委员会确认

    @model_validator(mode="after")
    def _consistent(self) -> "Indicator":
        if self.comparator not in ("judged", "non_decreasing") and self.threshold is None:
            raise ValueError("a threshold is required unless comparator is 'judged' or 'non_decreasing'")
        if self.area == "resources":
            if self.formula is None or not isinstance(self.threshold, dict):
                raise ValueError("a resource indicator needs a formula and per-stage thresholds")
            missing = set(STAGES) - set(self.threshold)
            if missing:
                raise ValueError(f"per-stage threshold lacks {sorted(missing)}")
        if self.comparator == "grade":
            if not self.scale or self.threshold not in self.scale:
                raise ValueError("a grade indicator needs a scale that contains its threshold")
        if (self.comparator == "non_decreasing") != bool(self.years):
            raise ValueError("comparator 'non_decreasing' and `years` (≥ 2) go together")
        if self.years is not None and self.years < 2:
            raise ValueError("`years` must be at least 2")
        return self

    @property
    def judged(self) -> bool:
        """Left by the method to the evaluators: the county declares 是/否, the committee decides."""
        return self.comparator == "judged"

    @property
    def multi_year(self) -> bool:
        return self.years is not None

    def threshold_for(self, stage: str | None = None) -> float | str | None:
        if isinstance(self.threshold, dict):
            return self.threshold[stage] if stage else None
        return self.threshold


class Veto(_Record):
    """A veto condition (一票否决, 不予认定)."""

    id: str
    wording: str
    source: str
    wording_en: str = ""   # for the web's English mode; the documents quote `wording`


class Options(_Record):
    school_min_met: int
    school_floor_ratio: float
    cv_limit: dict[Stage, float]
    teaching_point_min_students: int = 0
    shared_resource_weights: dict[Stage, float]
    school_size_limit: dict[Literal["single", "through"], int]
    class_size_limit: dict[Stage, int] = {"primary": 45, "junior": 50}   # G5 大班额
    # Schools outside the method's scope (特殊教育学校, 职业学校), matched by words in their names.
    excluded_school_words: tuple[str, ...] = ()


class StandardInfo(_Record):
    id: str
    title: str
    document: str = ""
    issued: date | None = None
    extends: str | None = None


class Standard(_Record):
    """A complete, validated standard version."""

    standard: StandardInfo
    options: Options
    indicators: tuple[Indicator, ...]
    vetoes: tuple[Veto, ...]

    @property
    def id(self) -> str:
        return self.standard.id

    @property
    def resource_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.area == "resources")

    @property
    def county_indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.area != "resources")

    def indicator(self, indicator_id: str) -> Indicator:
        for item in self.indicators:
            if item.id == indicator_id:
                return item
        raise StandardError(f"标准 {self.id} 中没有指标 {indicator_id}",
                            f"standard {self.id} has no indicator {indicator_id}")


def _merge(parent: list[dict], child: list[dict]) -> list[dict]:
    """Child records replace parent fields by id; unknown ids are appended in order."""
    merged = {rec["id"]: dict(rec) for rec in parent}
    for rec in child:
        merged.setdefault(rec.get("id"), {}).update(rec)
    return list(merged.values())


def read_rule_toml(path: Path, what: tuple[str, str] = ("标准文件", "standard file")) -> dict:
    """Read a rule-data TOML file; a missing or malformed file is a `StandardError` naming it.

    `what` names the kind of file in Chinese and English (标准文件, 周期文件, …) for the message."""
    zh, en = what
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StandardError(f"找不到{zh}：{path}", f"{en} not found: {path}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise StandardError(f"{zh} {path.name} 格式错误：{exc}", f"{en} {path.name} is not valid TOML: {exc}",
                            file=str(path)) from exc


def validate_rule_data(model: type[BaseModel], raw: dict, path: Path, what: tuple[str, str]):
    """Validate rule data read from `path`; the first error becomes a `StandardError` naming the
    record (by its id or name) and the field, in the words of `what` (标准文件, 日程文件, …)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        where = _record_name(raw, loc)
        field = ".".join(str(p) for p in loc[2:]) if "[" in where else ".".join(str(p) for p in loc)
        zh, en = what
        raise StandardError(f"{zh} {path.name} 的记录 {where} 有误（{field}）：{first['msg']}",
                            f"{en} {path.name}, record {where} ({field}): {first['msg']}",
                            file=str(path), record=where) from exc


def _resolve(ref: str) -> Path:
    path = Path(ref)
    return path if path.suffix == ".toml" else STANDARDS_DIR / f"{ref}.toml"


def _raw_standard(ref: str, seen: tuple[str, ...] = ()) -> dict:
    path = _resolve(ref)
    if str(path) in seen:
        raise StandardError(f"标准文件循环继承：{path.name}", f"circular 'extends' at {path.name}")
    raw = read_rule_toml(path)
    parent_id = raw.get("standard", {}).get("extends")
    if not parent_id:
        return raw
    parent = _raw_standard(parent_id, seen + (str(path),))
    return {
        "standard": raw.get("standard", {}),
        "options": {**parent.get("options", {}), **raw.get("options", {})},
        "indicators": _merge(parent.get("indicators", []), raw.get("indicators", [])),
        "vetoes": _merge(parent.get("vetoes", []), raw.get("vetoes", [])),
    }


def _record_name(raw: dict, loc: tuple) -> str:
    """Name the record a validation error points at, by its id or name where it has one."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw.get(loc[0]), list):
        rec = raw[loc[0]][loc[1]]
        key = rec.get("id", rec.get("name", loc[1])) if isinstance(rec, dict) else loc[1]
        return f"{loc[0]}[{key}]"
    return ".".join(str(p) for p in loc[:2])


@lru_cache(maxsize=16)
def load_standard(ref: str = "kashgar-2022") -> Standard:
    """Load a standard by id (a file in `inspection/standards/`) or by path, validated."""
    standard = validate_rule_data(Standard, _raw_standard(ref), _resolve(ref), ("标准文件", "standard file"))
    ids = [i.id for i in standard.indicators] + [v.id for v in standard.vetoes]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise StandardError(f"标准文件 {_resolve(ref).name} 中指标编号重复：{dupes}",
                            f"duplicate ids in {_resolve(ref).name}: {dupes}")
    return standard


class CountyPlan(_Record):
    """A county in a prefecture's schedule, with its recognition year (创建时间)."""

    code: str
    name: str
    short_name: str | None = None
    recognition_year: int
    note: str | None = None

    @property
    def label(self) -> str:
        return self.short_name or self.name


class PrefectureInfo(_Record):
    id: str
    name: str
    committee: str
    doc_prefix: str
    standard: str
    signer: str = ""               # 签发人 of the committee's upward documents (e.g. the monitoring report)
    basic_balance_years: int = 3
    source: str = ""


class Schedule(_Record):
    """A prefecture's creation schedule: which county must be recognised by which year."""

    prefecture: PrefectureInfo
    counties: tuple[CountyPlan, ...]

    def county(self, name: str) -> CountyPlan:
        for plan in self.counties:
            if name in (plan.name, plan.short_name, plan.code):
                return plan
        raise StandardError(f"日程中没有县市：{name}", f"no county named {name} in the schedule")


@lru_cache(maxsize=8)
def load_schedule(ref: str = "kashgar") -> Schedule:
    """Load a prefecture's schedule by id (`schedule-<id>.toml`) or path, validated."""
    path = Path(ref) if ref.endswith(".toml") else STANDARDS_DIR / f"schedule-{ref}.toml"
    what = ("日程文件", "schedule file")
    return validate_rule_data(Schedule, read_rule_toml(path, what), path, what)


def available_standards() -> list[str]:
    return sorted(p.stem for p in STANDARDS_DIR.glob("*.toml")
                  if not p.stem.startswith(("schedule-", "school-table")))
