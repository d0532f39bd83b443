"""Readers for county submissions (材料读取): PDF, DOCX, XLSX and CSV, chosen by content.

    read_school_table(path, standard) -> SchoolTable     the school table, or a ReadError
    read_document(path, standard) -> Document            table + narrative + provenance + contradictions
    scan_documents(documents, lexicon) -> ScanResult     veto findings and declarations

Limits for untrusted files are in `Limits` (see `inspection.ingest.limits`).
"""

from __future__ import annotations

from pathlib import Path

from inspection.ingest.document import parse_document, read_document, sha256_of
from inspection.ingest.limits import Limits
from inspection.ingest.model import Document, Grid, Inconsistency, Paragraph, Source
from inspection.table import SchoolTable

__all__ = ["Document", "Grid", "Inconsistency", "Limits", "Paragraph", "Source", "parse_document",
           "read_document", "read_school_table", "sha256_of"]


def read_school_table(path: str | Path, standard=None, *, limits: Limits | None = None) -> SchoolTable:
    """Read the school table from a submitted file; raises `ReadError` with a bilingual message."""
    return read_document(path, standard, limits=limits, require_table=True).table
