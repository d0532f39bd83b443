"""Vetoes (不予认定): findings of a veto condition, and the committee's decision on each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inspection.standard import Standard


@dataclass(frozen=True)
class VetoFinding:
    """Affirmative evidence that a veto condition occurred: the quote and where it stands.

    `status` is the committee's decision: a finding blocks recognition unless dismissed.
    """

    condition: str
    quote: str
    source: str = ""
    page: int | None = None
    status: Literal["open", "confirmed", "dismissed"] = "open"

    def sentence(self, standard: Standard) -> str:
        wording = next((v.wording for v in standard.vetoes if v.id == self.condition), self.condition)
        where = f"（{self.source}{f'第{self.page}页' if self.page else ''}）" if self.source or self.page else ""
        return f"存在“{wording}”情形：“{self.quote}”{where}"


def blocking_findings(findings: list[VetoFinding]) -> list[VetoFinding]:
    """Findings that block recognition: every one not dismissed by the committee."""
    return [f for f in findings if f.status != "dismissed"]
