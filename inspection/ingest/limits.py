"""Limits for untrusted uploads (上传文件限制), with defaults and environment overrides.

| setting | default | environment variable |
|---|---|---|
| `max_bytes` — file size | 50 MB | `INSPECTION_MAX_UPLOAD_MB` |
| `max_pages` — PDF pages | 600 | `INSPECTION_MAX_PAGES` |
| `max_unpacked_bytes` — DOCX/XLSX decompressed size, and the PDF streams inflated in all | 200 MB | `INSPECTION_MAX_UNPACKED_MB` |
| `max_zip_entries` — parts in a DOCX/XLSX | 5000 | `INSPECTION_MAX_ZIP_ENTRIES` |
| `max_rows` — rows per sheet or CSV | 100 000 | `INSPECTION_MAX_ROWS` |
| `timeout_seconds` — PDF parsing wall time | 120 s | `INSPECTION_PARSE_TIMEOUT` |
| `memory_mb` — PDF parser's extra address space | 2048 MB | `INSPECTION_PARSE_MEMORY_MB` |
| `ocr_page_seconds` — OCR wall time per scanned page, added to `timeout_seconds` | 20 s | `INSPECTION_OCR_PAGE_SECONDS` |

`Limits.from_env()` is read at entry points (CLI, services) and passed down; nothing reads the
environment deeper than that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = 50 * MB
    max_pages: int = 600
    max_unpacked_bytes: int = 200 * MB
    max_zip_entries: int = 5000
    max_rows: int = 100_000
    timeout_seconds: float = 120.0
    memory_mb: int = 2048
    ocr_page_seconds: float = 20.0

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "Limits":
        env = os.environ if environ is None else environ
        default = cls()

        def num(name: str, current: float, scale: float = 1, kind=int):
            value = env.get(name)
            return current if value in (None, "") else kind(float(value) * scale)

        return cls(
            max_bytes=num("INSPECTION_MAX_UPLOAD_MB", default.max_bytes, MB),
            max_pages=num("INSPECTION_MAX_PAGES", default.max_pages),
            max_unpacked_bytes=num("INSPECTION_MAX_UNPACKED_MB", default.max_unpacked_bytes, MB),
            max_zip_entries=num("INSPECTION_MAX_ZIP_ENTRIES", default.max_zip_entries),
            max_rows=num("INSPECTION_MAX_ROWS", default.max_rows),
            timeout_seconds=num("INSPECTION_PARSE_TIMEOUT", default.timeout_seconds, kind=float),
            memory_mb=num("INSPECTION_PARSE_MEMORY_MB", default.memory_mb),
            ocr_page_seconds=num("INSPECTION_OCR_PAGE_SECONDS", default.ocr_page_seconds, kind=float),
        )
