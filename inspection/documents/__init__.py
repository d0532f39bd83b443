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
Renderer modules import WeasyPrint, python-docx and matplotlib only when used.
"""

from inspection.documents.case import CountyCase, case_from_table, figures_from_json, findings_from_json
from inspection.documents.ledger import CountyLedger, LedgerRow, build_ledger
from inspection.documents.letter import (Deadlines, EvaluationLetter, Rectification, build_letter,
                                         default_deadlines, issue_for)
from inspection.documents.letter_layout import letter_document
from inspection.documents.model import (Attachment, Column, DocNumber, Figure, Heading, Issue, OfficialDocument,
                                        PageBreak, Paragraph, Table)
from inspection.documents.monitoring import CountyProgress, build_progress, monitoring_document
from inspection.documents.notices import accountability_document, rectification_document
from inspection.documents.numerals import arabic_date, chinese_date, chinese_numeral, fmt_number
from inspection.documents.produce import (Renderers, RenderPool, county_document, ledgers_for,
                                          prefecture_document, render_batch)

__all__ = ["Attachment", "Column", "CountyCase", "CountyLedger", "CountyProgress", "Deadlines", "DocNumber",
           "EvaluationLetter", "Figure", "Heading", "Issue", "LedgerRow", "OfficialDocument", "PageBreak",
           "Paragraph", "Rectification", "RenderPool", "Renderers", "Table", "accountability_document", "arabic_date",
           "build_ledger", "build_letter", "build_progress", "case_from_table", "chinese_date", "chinese_numeral",
           "county_document", "default_deadlines", "figures_from_json", "findings_from_json", "fmt_number",
           "issue_for", "ledgers_for", "letter_document", "monitoring_document", "prefecture_document",
           "rectification_document", "render_batch"]
