"""Readers for county submissions (材料读取): PDF, DOCX, XLSX and CSV, chosen by content.

    read_school_table(path, standard) -> SchoolTable     the school table, or a ReadError
    read_document(path, standard) -> Document            table + narrative + provenance + contradictions
    scan_documents(documents, lexicon) -> ScanResult     veto findings and declarations

Limits for untrusted files are in `Limits` (see `inspection.ingest.limits`). Names load on first use
(PEP 562): the sandbox's child process imports one reader without the table understanding.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

_EXPORTS = {
    "parse_document": "inspection.ingest.document", "read_document": "inspection.ingest.document",
    "sha256_of": "inspection.ingest.document", "Limits": "inspection.ingest.limits",
    "Document": "inspection.ingest.model", "Grid": "inspection.ingest.model",
    "Inconsistency": "inspection.ingest.model", "Paragraph": "inspection.ingest.model",
    "Source": "inspection.ingest.model",
}

__all__ = sorted([*_EXPORTS, "read_school_table"])


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'inspection.ingest' has no attribute {name!r}")


def read_school_table(path: str | Path, standard=None, *, limits=None):
    """Read the school table from a submitted file; raises `ReadError` with a bilingual message."""
    from inspection.ingest.document import read_document
    return read_document(path, standard, limits=limits, require_table=True).table
