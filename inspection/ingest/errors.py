"""Why a submitted file could not be read. Every class is a `ReadError` (exit code 2), bilingual.

    ReadError (inspection.errors)
    ├── FileTooLargeError        the file, its page count or its unpacked size is over a limit
    ├── UnsupportedFormatError   not PDF, DOCX, XLSX or CSV (or an old .doc/.xls)
    ├── FormatMismatchError      the extension names one format, the content is another
    ├── CorruptFileError         truncated or damaged; the parser gave up
    ├── EncryptedFileError       a password-protected PDF or OOXML file
    ├── ScannedDocumentError     image-only (scanned) PDF: no text to read
    ├── UnsafeFileError          a ZIP bomb, an XML entity bomb, a parser that ran out of time or memory
    └── TableError (inspection.errors)
        └── AmbiguousColumnError a header could not be mapped to one canonical column with confidence

Each is raised with `file=` in `details`; nothing is stored when one is raised.
"""

from __future__ import annotations

from inspection.errors import ReadError, TableError

__all__ = ["AmbiguousColumnError", "CorruptFileError", "EncryptedFileError", "FileTooLargeError",
           "FormatMismatchError", "ScannedDocumentError", "UnsafeFileError", "UnsupportedFormatError"]


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


class AmbiguousColumnError(TableError):
    """Two headers compete for one canonical column, or a needed unit is not stated."""
