"""Official documents (公文): letters, reports, notices and ledgers written from the evaluation's trace.

    CountyCase ──build_letter──► EvaluationLetter ──letter_document──────────┐
        │                              ├──rectification_document───────────┤
        │                              └──accountability_document──────────┤
        ├──build_ledger──► CountyLedger ──write_ledger (XLSX)               ├─► OfficialDocument
        └──build_progress─► CountyProgress ──monitoring_document──────────┘        │
                                                         PdfRenderer (WeasyPrint) ◄─┤
                                                         DocxRenderer (python-docx) ◄┘

Builders are pure; renderers take the finished `OfficialDocument` (including its document number)
and never read the database. `inspection.documents.sources` loads cases and issues numbers.
Renderer modules import WeasyPrint, python-docx and PDFium only when used, and the names below
load their module on first use (PEP 562): a process that only renders never imports the builders.
"""

from importlib import import_module

_EXPORTS = {
    **dict.fromkeys(["CountyCase", "case_from_table", "figures_from_json", "findings_from_json"], "case"),
    **dict.fromkeys(["CountyLedger", "LedgerRow", "build_ledger"], "ledger"),
    **dict.fromkeys(["Deadlines", "EvaluationLetter", "Rectification", "build_letter", "default_deadlines",
                     "issue_for"], "letter"),
    **dict.fromkeys(["letter_document"], "letter_layout"),
    **dict.fromkeys(["Attachment", "Column", "DocNumber", "Figure", "Heading", "Issue", "OfficialDocument",
                     "PageBreak", "Paragraph", "Table"], "model"),
    **dict.fromkeys(["CountyProgress", "build_progress", "monitoring_document"], "monitoring"),
    **dict.fromkeys(["accountability_document", "rectification_document"], "notices"),
    **dict.fromkeys(["county_document", "ledgers_for", "prefecture_document"], "produce"),
    **dict.fromkeys(["RenderAhead", "RenderPool", "Renderers", "render_batch"], "render"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"inspection.documents.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'inspection.documents' has no attribute {name!r}")
