"""Veto scan (否决情形筛查): affirmative evidence of a veto condition in a county's documents.

The vocabulary is data (`inspection/standards/veto-lexicon.toml`). Each narrative paragraph is split
into sentences and clauses; a condition's pattern found in a clause is a finding unless a negation
or prohibition cue governs it there ("均未设置重点班", "严禁以考试方式招生", "事故零发生"), which
makes it a declaration — recorded, never a finding. Figures that contradict each other (a totals row
against its rows, one school's figure in two documents) are findings of `falsification`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from inspection.ingest.consistency import cross_document
from inspection.ingest.model import Document, Inconsistency, Paragraph
from inspection.rules.vetoes import VetoFinding
from inspection.standard import STANDARDS_DIR


@dataclass(frozen=True)
class Condition:
    id: str
    patterns: tuple[re.Pattern, ...]
    qualified: tuple[tuple[re.Pattern, re.Pattern], ...] = ()


@dataclass(frozen=True)
class Lexicon:
    conditions: tuple[Condition, ...]
    negation_before: re.Pattern
    negation_after: re.Pattern
    sentence_break: re.Pattern
    clause_break: re.Pattern


@dataclass(frozen=True, slots=True)
class Declaration:
    """A county's denial or prohibition of a veto condition: kept for the record, never a finding."""

    condition: str
    quote: str
    source: str = ""
    page: int | None = None
    paragraph: int | None = None


@dataclass
class ScanResult:
    findings: list[VetoFinding] = field(default_factory=list)
    declarations: list[Declaration] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)   # id(finding) → why, for contradictions


def _alternation(items: Sequence[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{i})" for i in items))


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    spec = tomllib.loads(Path(path or STANDARDS_DIR / "veto-lexicon.toml").read_text(encoding="utf-8"))
    conditions = tuple(Condition(c["id"], tuple(re.compile(p) for p in c.get("patterns", [])),
                                 tuple((re.compile(q["pattern"]), re.compile(q["requires"]))
                                       for q in c.get("qualified", [])))
                       for c in spec["conditions"])
    return Lexicon(conditions, _alternation(spec["negation_before"]), _alternation(spec["negation_after"]),
                   re.compile(spec["sentence_break"]), re.compile(spec["clause_break"]))


def sentences(text: str, lexicon: Lexicon) -> list[str]:
    return [s.strip() for s in lexicon.sentence_break.split(text) if s.strip()]


def _matches(condition: Condition, clause: str, sentence: str) -> list[re.Match]:
    found = [m for p in condition.patterns if (m := p.search(clause))]
    found += [m for p, req in condition.qualified if (m := p.search(clause)) and req.search(sentence)]
    return found


def judge(sentence: str, condition: Condition, lexicon: Lexicon) -> str | None:
    """'finding', 'declaration' or None for one sentence and one condition."""
    verdict = None
    for clause in lexicon.clause_break.split(sentence):
        for m in _matches(condition, clause, sentence):
            negated = lexicon.negation_before.search(clause[: m.start()]) or \
                lexicon.negation_after.search(clause[m.end():])
            if not negated:
                return "finding"
            verdict = "declaration"
    return verdict


def scan_paragraphs(paragraphs: Sequence[Paragraph], *, file: str = "", lexicon: Lexicon | None = None,
                    result: ScanResult | None = None) -> ScanResult:
    lexicon = lexicon or load_lexicon()
    result = result or ScanResult()
    for para in paragraphs:
        for sentence in sentences(para.text, lexicon):
            for condition in lexicon.conditions:
                verdict = judge(sentence, condition, lexicon)
                if verdict == "finding":
                    result.findings.append(VetoFinding(condition.id, sentence, file, para.page))
                elif verdict == "declaration":
                    result.declarations.append(Declaration(condition.id, sentence, file, para.page, para.index))
    return result


def _contradiction(inc: Inconsistency, file: str, result: ScanResult) -> None:
    finding = VetoFinding("falsification", inc.quote, file, inc.page)
    result.findings.append(finding)
    result.notes[len(result.findings) - 1] = inc.zh


def scan_documents(documents: Sequence[Document], lexicon: Lexicon | None = None) -> ScanResult:
    """Findings and declarations across `documents`, including contradictory figures."""
    result = ScanResult()
    for doc in documents:
        scan_paragraphs(doc.paragraphs, file=doc.source.file, lexicon=lexicon, result=result)
        for inc in doc.inconsistencies:
            _contradiction(inc, doc.source.file, result)
    for inc in cross_document(documents):
        _contradiction(inc, inc.provenance[0].file if inc.provenance else "", result)
    return result


def scan_json(result: ScanResult) -> dict:
    """`{"findings": [{"condition", "quote", "page", "file"[, "note"]}], "declarations": [{…, "paragraph"}]}`;
    `note` explains a contradiction (a totals row, two documents disagreeing)."""
    findings = []
    for i, f in enumerate(result.findings):
        item = {"condition": f.condition, "quote": f.quote, "page": f.page, "file": f.source}
        if i in result.notes:
            item["note"] = result.notes[i]
        findings.append(item)
    declarations = [{"condition": d.condition, "quote": d.quote, "page": d.page, "file": d.source,
                     "paragraph": d.paragraph} for d in result.declarations]
    return {"findings": findings, "declarations": declarations}
