"""Use cases the CLI and the flows share: build a county document of a kind, the prefecture's
monitoring report, the ledgers. Rendering them is `inspection.documents.render`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from inspection.documents.case import CountyCase
from inspection.documents.ledger import CountyLedger, build_ledger
from inspection.documents.letter import Deadlines, build_letter, default_deadlines, plan_summary
from inspection.documents.letter_layout import letter_document
from inspection.documents.model import Issue, OfficialDocument
from inspection.documents.monitoring import build_progress, monitoring_document
from inspection.documents.notices import accountability_document, rectification_document
from inspection.errors import RenderError

KINDS = {"letter": letter_document, "rectification": rectification_document,
         "accountability": accountability_document}


def county_document(case: CountyCase, issue: Issue, kind: str = "letter",
                    deadlines: Deadlines | None = None, follows: str = "", plan_citation: str = "") -> OfficialDocument:
    """A county document of `kind` (letter | rectification | accountability) from its case; a notice
    names the letter it `follows` by its 发文字号 when it is known, and a rectification notice cites the
    saved plan attached to it (`plan_citation`, from `services.planning.rectification_citation`)."""
    if kind not in KINDS:
        raise RenderError(f"未知的公文种类：{kind}", f"unknown document kind: {kind}", kind=kind)
    return KINDS[kind](replace(build_letter(case, issue, deadlines), follows=follows, plan_citation=plan_citation))


def ledgers_for(cases: list[CountyCase], issued: date) -> list[CountyLedger]:
    """Each county's ledger; unmet rows carry that county's default completion deadline."""
    return [build_ledger(c, default_deadlines(issued, c.recognition_year).completion) for c in cases]


def prefecture_document(cases: list[CountyCase], issue: Issue, *, prefecture: str, year: int,
                        plan_citations: Mapping[str, str] | None = None) -> OfficialDocument:
    """The annual monitoring report over `cases` (one per county); a county's saved plan attached to its
    annual plan is cited beside it (`plan_citations`, from `services.planning.annual_plan_citations`)."""
    ledgers, cited = ledgers_for(cases, issue.issued), plan_citations or {}
    return monitoring_document([replace(build_progress(c, lg, plan_summary(c)), plan_citation=cited.get(c.county, ""))
                                for c, lg in zip(cases, ledgers)], issue, prefecture=prefecture, year=year)
