"""Why a submitted file could not be read. Every class is a `ReadError` (exit code 2), bilingual.

    ReadError (inspection.errors)
    ├── FileTooLargeError        the file, its page count or its unpacked size is over a limit
    ├── UnsupportedFormatError   not PDF, DOCX, XLSX or CSV (or an old .doc/.xls)
    ├── FormatMismatchError      the extension names one format, the content is another
    ├── CorruptFileError         truncated or damaged; the parser gave up
    ├── EncryptedFileError       a password-protected PDF or OOXML file
    ├── ScannedDocumentError     image-only (scanned) PDF: no text to read
    ├── UnsafeFileError          a ZIP bomb, an XML entity bomb, a parser that ran out of time or memory
    ├── UnconfirmedFiguresError  a scan's OCR figures a person must confirm (待人工核对) before a verdict
    └── TableError (inspection.errors)
        └── AmbiguousColumnError a header could not be mapped to one canonical column with confidence

Each is raised with `file=` in `details`; nothing is stored when one is raised.
"""

from __future__ import annotations

from inspection.errors import ReadError, TableError

__all__ = ["AmbiguousColumnError", "CorruptFileError", "EncryptedFileError", "FileTooLargeError",
           "FormatMismatchError", "ScannedDocumentError", "UnconfirmedFiguresError", "UnsafeFileError",
           "UnsupportedFormatError"]


class FileTooLargeError(ReadError):
    """Size, pages or decompressed size over the configured `Limits`."""


class UnsupportedFormatError(ReadError):
    """Content that no reader accepts."""


class FormatMismatchError(ReadError):
    """The file's extension claims a format its content is not (e.g. a ZIP named .pdf)."""


class CorruptFileError(ReadError):
    """Truncated or damaged file."""


class EncryptedFileError(ReadError):
    """Password-protected file: ask the county for an unprotected copy."""


class ScannedDocumentError(ReadError):
    """A PDF whose pages are images only: it needs the original, not a scan."""


class UnsafeFileError(ReadError):
    """A file built to exhaust the reader (ZIP or XML bomb), or one that hit the time/memory limit."""


class UnconfirmedFiguresError(ReadError):
    """Figures read by OCR from a scan that a person must confirm first; `cells` lists them (`ToConfirm`)."""

    @classmethod
    def listing(cls, file: str, cells) -> "UnconfirmedFiguresError":
        zh = "\n".join(f"  {k}. {c.describe()}" for k, c in enumerate(cells, 1))
        en = "\n".join(f"  {k}. {c.describe_en()}" for k, c in enumerate(cells, 1))
        return cls(f"{file} 是扫描件，以下{len(cells)}项识别数据须人工核对（待人工核对），核对前不能评估：\n{zh}",
                   f"{file} is a scan: {len(cells)} OCR figure(s) must be confirmed by a person before it is "
                   f"evaluated:\n{en}", file=file, cells=[c.as_json() for c in cells])


class AmbiguousColumnError(TableError):
    """Two headers compete for one canonical column, or a needed unit is not stated."""
