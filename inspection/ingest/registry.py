"""Choose a reader by what a file IS (magic bytes, ZIP members), not by what it is called.

Every reader satisfies `Reader`: `score(probe)` returns a confidence (`None` declines) and the
highest wins, so adding a format is adding a module to `READERS`, not a branch. The extension is
used only to catch a file whose name lies about its content (`FormatMismatchError`).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Protocol

from inspection.ingest.errors import CorruptFileError, EncryptedFileError, FormatMismatchError, UnsupportedFormatError
from inspection.ingest.limits import Limits
from inspection.ingest.model import Extract, Source

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True, slots=True)
class Probe:
    """What readers look at to decide: the first bytes, ZIP member names (if a ZIP), the extension."""

    head: bytes
    members: frozenset[str] | None
    suffix: str

    @classmethod
    def of(cls, data: bytes, suffix: str) -> "Probe":
        members = None
        if data.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    members = frozenset(archive.namelist())
            except (zipfile.BadZipFile, ValueError, OSError):
                members = frozenset()
        return cls(data[:4096], members, suffix.lower())


class Reader(Protocol):
    kind: str                       # "pdf", "docx", "xlsx", "csv"
    label: str                      # for messages: "PDF", "Word（DOCX）"
    extensions: tuple[str, ...]

    def score(self, probe: Probe) -> float | None: ...

    def read(self, data: bytes, source: Source, limits: Limits) -> Extract: ...


def _readers() -> tuple[Reader, ...]:
    from inspection.ingest.csv_reader import READER as csv_reader
    from inspection.ingest.docx_reader import READER as docx_reader
    from inspection.ingest.pdf_reader import READER as pdf_reader
    from inspection.ingest.xlsx_reader import READER as xlsx_reader
    return (pdf_reader, docx_reader, xlsx_reader, csv_reader)


def choose_reader(data: bytes, file: str, suffix: str) -> Reader:
    """The reader for this content; raises when none fits or the extension names another format."""
    probe = Probe.of(data, suffix)
    readers = _readers()
    scored = [(s, r) for r in readers if (s := r.score(probe)) is not None]
    if not scored:
        if probe.head.startswith(OLE_MAGIC):
            if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data[:65536 * 8]:
                raise EncryptedFileError(f"{file} 设有打开密码，请提交未加密的文件",
                                         f"{file} is password-protected; submit an unencrypted copy", file=file)
            raise UnsupportedFormatError(
                f"{file} 是旧版 Word/Excel 格式（.doc/.xls），请另存为 .docx 或 .xlsx 后提交",
                f"{file} is an old Word/Excel file (.doc/.xls); save it as .docx or .xlsx", file=file)
        if probe.members is not None and not probe.members:
            raise CorruptFileError(f"{file} 已损坏或不完整（压缩包无法打开），请重新提交",
                                   f"{file} is damaged or truncated (the ZIP cannot be opened); upload it again",
                                   file=file)
        raise UnsupportedFormatError(f"{file} 不是可读取的 PDF、Word（DOCX）、Excel（XLSX）或 CSV 文件",
                                     f"{file} is not a readable PDF, DOCX, XLSX or CSV file", file=file)
    best = max(scored, key=lambda sr: sr[0])[1]
    claimed = next((r for r in readers if probe.suffix in r.extensions), None)
    if claimed is not None and claimed.kind != best.kind:
        raise FormatMismatchError(
            f"{file} 的扩展名是 {probe.suffix}（{claimed.label}），但内容是 {best.label}。"
            f"请确认文件后按正确的扩展名重新提交",
            f"{file} is named {probe.suffix} ({claimed.kind}) but its content is {best.kind}; "
            f"resubmit it with the right extension", file=file, claimed=claimed.kind, actual=best.kind)
    return best
