"""The cycle's data (督导评估工作周期), loaded from `inspection/standards/cycle.toml` and validated.

Stages, transitions, deadlines, accountability and the "slid back markedly" rule are records here;
the only code that gives them meaning is the small table of requirement checks
(`requirements.py`) and the deadline rules below. A bad record names itself in the `StandardError`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from inspection.errors import StandardError
from inspection.standard import STANDARDS_DIR, read_rule_toml, validate_rule_data

Role = Literal["county", "committee", "system"]
ROLE_ZH = {"county": "县级用户", "committee": "督导委员会委员", "system": "系统流程"}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Named(_Record):
    zh: str
    en: str


class DeadlineRule(_Record):
    """When a stage's work is due: `days` after entry, a date in the recognition year, year end, or none."""

    rule: Literal["days", "recognition_year", "year_end", "none"]
    days: int | None = None
    month: int = 12
    day: int = 31
    offset_years: int = 0
    what: str = ""        # what is due, for people (提交县级自评材料)
    what_en: str = ""
    note: str = ""
    assumption: str = ""  # why the deadline is a working assumption (the plan sets none): 暂定，待委员会确认

    @model_validator(mode="after")
    def _complete(self) -> "DeadlineRule":
        if self.rule == "days" and not self.days:
            raise ValueError("rule 'days' needs days")
        return self

    def due(self, *, entered: date, recognition_year: int, today: date) -> date | None:
        """The deadline for a county that entered the stage on `entered` (None: no deadline)."""
        if self.rule == "days":
            return entered + timedelta(days=self.days)
        if self.rule == "recognition_year":
            year = recognition_year + self.offset_years
            return date(year, self.month, min(self.day, calendar.monthrange(year, self.month)[1]))
        if self.rule == "year_end":
            return date(today.year, 12, 31)
        return None


class StageDef(_Record):
    id: str
    zh: str
    en: str
    deadline: DeadlineRule = DeadlineRule(rule="none")


class TransitionDef(_Record):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    by: tuple[Role, ...]
    requires: tuple[str, ...] = ()
    zh: str = ""


class RecognitionDue(_Record):
    month: int = 12
    day: int = 31
    assumption: str = ""


class CycleInfo(_Record):
    id: str
    title: str
    source: str = ""
    initial: str
    recognition_due: RecognitionDue = RecognitionDue()


class AccountabilityRule(_Record):
    rectification_days: int
    escalation_days: int
    levels: tuple[str, ...]
    kinds: dict[str, Named]
    # Stages in which a county's year passing is no failure: it was recommended in time and awaits the
    # region's assessment or the national announcement (made the following spring).
    awaiting_announcement: tuple[str, ...] = ()
    assumption: str = ""

    def level_name(self, level: int) -> str:
        return self.levels[min(level, len(self.levels) - 1)]


class SlideRule(_Record):
    """创建后"大幅度滑坡": any one threshold crossed is a marked slide (see `slide.py`)."""

    failing_school_share: float
    newly_failing_schools: int
    cv_over_limit_by: float
    county_indicators_lost: int
    assumption: str = ""


class Cycle(_Record):
    """The whole cycle definition. Look-ups raise `StandardError` for unknown ids."""

    cycle: CycleInfo
    documents: dict[str, Named]
    stages: tuple[StageDef, ...]
    transitions: tuple[TransitionDef, ...]
    accountability: AccountabilityRule
    slide: SlideRule

    @model_validator(mode="after")
    def _consistent(self) -> "Cycle":
        from inspection.cycle.requirements import known_requirement
        ids = [s.id for s in self.stages]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate stage ids: {ids}")
        if self.cycle.initial not in ids:
            raise ValueError(f"initial stage {self.cycle.initial!r} is not a stage")
        seen = set()
        for t in self.transitions:
            for end in (t.source, t.target):
                if end not in ids:
                    raise ValueError(f"transition {t.source}→{t.target}: unknown stage {end!r}")
            if (t.source, t.target) in seen:
                raise ValueError(f"transition {t.source}→{t.target} is listed twice")
            seen.add((t.source, t.target))
            for req in t.requires:
                if not known_requirement(req, self.documents):
                    raise ValueError(f"transition {t.source}→{t.target}: unknown requirement {req!r}")
        return self

    def stage(self, stage_id: str) -> StageDef:
        for s in self.stages:
            if s.id == stage_id:
                return s
        raise StandardError(f"周期中没有阶段“{stage_id}”", f"the cycle has no stage '{stage_id}'", stage=stage_id)

    def stage_zh(self, stage_id: str) -> str:
        return self.stage(stage_id).zh

    def transition(self, source: str, target: str) -> TransitionDef | None:
        return next((t for t in self.transitions if t.source == source and t.target == target), None)

    def transitions_from(self, source: str) -> tuple[TransitionDef, ...]:
        return tuple(t for t in self.transitions if t.source == source)

    def recognition_deadline(self, recognition_year: int) -> date:
        due = self.cycle.recognition_due
        return date(recognition_year, due.month, due.day)


@lru_cache(maxsize=4)
def load_cycle(ref: str = "cycle") -> Cycle:
    """Load the cycle by id (`inspection/standards/<id>.toml`) or path, validated."""
    path = Path(ref) if ref.endswith(".toml") else STANDARDS_DIR / f"{ref}.toml"
    what = ("周期文件", "cycle file")
    return validate_rule_data(Cycle, read_rule_toml(path, what), path, what)
