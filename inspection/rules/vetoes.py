"""Vetoes (不予认定): findings of a veto condition, and the committee's decision on each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from inspection.standard import Standard


@dataclass(frozen=True)
class VetoFinding:
    """Affirmative evidence that a veto condition occurred: the quote and where it stands.

    `status` is the committee's decision: only a confirmed finding blocks recognition; an open one
    keeps the verdict pending until it is decided.
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

    def sentence_en(self, standard: Standard) -> str:
        """The same sentence in English (the web's English mode); the quote stays as the document has it.
        A condition without English wording is named "another veto condition", never by its code."""
        veto = next((v for v in standard.vetoes if v.id == self.condition), None)
        wording = veto.wording_en if veto and veto.wording_en else "another veto condition"
        where = ", ".join(([self.source] if self.source else []) + ([f"page {self.page}"] if self.page else []))
        return f"Veto condition “{wording}”: “{self.quote}”" + (f" ({where})" if where else "")


def blocking_findings(findings: list[VetoFinding]) -> list[VetoFinding]:
    """Findings that block recognition: those the committee confirmed. An open finding is evidence
    awaiting a decision (待核实), never a veto by itself."""
    return [f for f in findings if f.status == "confirmed"]
