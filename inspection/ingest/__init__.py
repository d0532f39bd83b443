"""Readers for county submissions. `read_school_table` picks the reader by the file's content."""

from __future__ import annotations

import hashlib
from pathlib import Path

from inspection.errors import ReadError
from inspection.ingest.csv_reader import read_csv_table
from inspection.standard import Standard
from inspection.table import SchoolTable

__all__ = ["read_school_table", "sha256_of"]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_school_table(path: str | Path, standard: Standard | None = None) -> SchoolTable:
    """Read the school table from a submitted file; raises `ReadError` with a bilingual message."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"无法读取文件 {path.name}：{exc.strerror}", f"cannot read {path.name}: {exc.strerror}",
                        file=str(path)) from exc
    weights = dict(standard.options.shared_resource_weights) if standard else None
    if path.suffix.lower() == ".csv":
        return read_csv_table(data, file=path.name, sha256=sha256_of(data), shared_weights=weights)
    raise ReadError(f"暂不支持的文件类型：{path.name}（目前支持 CSV）",
                    f"unsupported file type: {path.name} (CSV is supported)", file=str(path))
