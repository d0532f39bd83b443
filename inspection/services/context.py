"""The `Context` every use case receives: who acts, under which rules, as of which date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone

from inspection.cycle import Cycle, load_cycle
from inspection.standard import Schedule, Standard, load_schedule, load_standard


@dataclass(frozen=True)
class Context:
    """Who acts, under which standard, schedule and cycle, as of which date: built once at an entry point.

    `as_of` may be in the past (the demo replays the cycle since 2022): dates the cycle records
    (stage entry, deadlines, case openings) follow it, while the audit trail keeps the real clock.
    """

    actor: str
    standard: Standard
    schedule: Schedule
    as_of: date
    cycle: Cycle = field(default_factory=load_cycle)

    @property
    def now(self) -> datetime:
        """The effective moment: the real time today, noon UTC of `as_of` when replaying another day."""
        real = datetime.now(timezone.utc)
        return real if real.date() == self.as_of else datetime.combine(self.as_of, time(12), timezone.utc)


def make_context(actor: str, as_of: date | str | None = None, *, standard: str | None = None,
                 schedule: str = "kashgar", cycle: str = "cycle") -> Context:
    """Build a context from plain values (what a flow or command receives as parameters)."""
    plan = load_schedule(schedule)
    day = date.fromisoformat(as_of) if isinstance(as_of, str) else (as_of or date.today())
    return Context(actor=actor, standard=load_standard(standard or plan.prefecture.standard), schedule=plan,
                   as_of=day, cycle=load_cycle(cycle))
