"""Checks that run before any parser sees an untrusted file: size, ZIP bombs, XML entities.

A DOCX or XLSX is a ZIP of XML parts. `check_zip` unpacks every member in chunks and stops at
`Limits.max_unpacked_bytes` (the sizes a ZIP declares can lie), refuses too many members, encrypted
members and any DTD (`<!DOCTYPE`/`<!ENTITY`: Office never writes one; entity bombs need one).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from inspection.ingest.errors import CorruptFileError, EncryptedFileError, FileTooLargeError, UnsafeFileError
from inspection.ingest.limits import MB, Limits

CHUNK = 1 << 16


def check_size(size: int, file: str, limits: Limits) -> None:
    """A file to read: within the size limit, and not empty."""
    check_size_limit(size, file, limits)
    if size == 0:
        raise CorruptFileError(f"{file} 是空文件", f"{file} is empty", file=file)


def check_size_limit(size: int, file: str, limits: Limits) -> None:
    """Within the size limit (checked before a file is read into memory)."""
    if size > limits.max_bytes:
        raise FileTooLargeError(
            f"{file} 大小为 {size / MB:.1f} MB，超过上限 {limits.max_bytes / MB:.0f} MB",
            f"{file} is {size / MB:.1f} MB, over the {limits.max_bytes / MB:.0f} MB limit",
            file=file, size=size, limit=limits.max_bytes)


def check_zip(data: bytes, file: str, limits: Limits) -> None:
    """Raise before parsing if the archive is damaged, encrypted, or unpacks beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFileError(f"{file} 已损坏或不完整（无法解压）", f"{file} is damaged or truncated (bad ZIP)",
                               file=file) from exc
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_zip_entries:
            raise UnsafeFileError(f"{file} 包含 {len(infos)} 个部件，超过上限 {limits.max_zip_entries}",
                                  f"{file} has {len(infos)} parts, over the limit of {limits.max_zip_entries}",
                                  file=file)
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise EncryptedFileError(f"{file} 已加密，请提交未加密的文件",
                                         f"{file} is encrypted; submit an unencrypted copy", file=file)
            try:
                total = _unpack(archive, info, total, file, limits)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError, zlib.error, NotImplementedError) as exc:
                raise CorruptFileError(f"{file} 已损坏或不完整（部件 {info.filename} 无法解压）",
                                       f"{file} is damaged or truncated (part {info.filename})", file=file) from exc


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, total: int, file: str, limits: Limits) -> int:
    """Read one member in chunks; return the running total of unpacked bytes."""
    xml = info.filename.endswith((".xml", ".rels"))
    with archive.open(info) as member:
        tail = b""
        while chunk := member.read(CHUNK):
            total += len(chunk)
            if total > limits.max_unpacked_bytes:
                raise UnsafeFileError(
                    f"{file} 解压后超过 {limits.max_unpacked_bytes / MB:.0f} MB（疑似压缩炸弹），已拒绝",
                    f"{file} unpacks to more than {limits.max_unpacked_bytes / MB:.0f} MB (a ZIP bomb?); refused",
                    file=file)
            # Anywhere in the part, across chunk boundaries: padding must not hide a DTD after the first chunk.
            window = tail + chunk
            if xml and (b"<!DOCTYPE" in window or b"<!ENTITY" in window):
                raise UnsafeFileError(f"{file} 含有 XML 实体声明（DTD），已拒绝",
                                      f"{file} contains an XML DTD (entity declarations); refused", file=file)
            tail = chunk[-16:]
    return total


XML_ERR_NO_MEMORY = 2   # libxml2's error code; lxml raises it as an XMLSyntaxError("unknown error")


def memory_exhausted(exc: BaseException) -> bool:
    """Whether a parser's error is really the sandbox's memory limit: a MemoryError, zlib's
    Z_MEM_ERROR (-4) from a decompression that could not allocate, or libxml2 out of memory (a
    DOCX whose XML is just under the unpacked limit builds a tree of gigabytes)."""
    return isinstance(exc, MemoryError) or (isinstance(exc, zlib.error) and "-4" in str(exc)) \
        or (isinstance(exc, SyntaxError) and getattr(exc, "code", None) == XML_ERR_NO_MEMORY
            and "NO_MEMORY" in str(getattr(exc, "error_log", "")))
