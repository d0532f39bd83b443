"""`read_document(path)`: any supported file → `Document` (school table, narrative, provenance).

All or nothing: the file is size-checked, its reader chosen by content, the reader's grids run
through the one table understanding (`assemble`), and only a complete `Document` is returned.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Mapping

from inspection.errors import ReadError, TableError
from inspection.ingest.assemble import understand_table
from inspection.ingest.county_sheet import is_county_grid, understand_county_sheet
from inspection.ingest.limits import Limits
from inspection.ingest.model import Document, Source
from inspection.ingest.ocr_review import figures_to_confirm, prepare_scanned
from inspection.ingest.registry import choose_reader
from inspection.ingest.safety import check_size
from inspection.standard import Standard


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_bytes(path: str | Path, limits: Limits) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        check_size(size, path.name, limits)
        with path.open("rb") as fh:
            return fh.read(limits.max_bytes + 1)
    except OSError as exc:
        raise ReadError(f"无法读取文件 {path.name}：{exc.strerror}", f"cannot read {path.name}: {exc.strerror}",
                        file=str(path)) from exc


def parse_document(data: bytes, *, file: str, suffix: str = "", limits: Limits | None = None,
                   shared_weights: Mapping[str, float] | None = None, require_table: bool = False,
                   standard: Standard | None = None) -> Document:
    """Read `data` (the bytes of a file named `file`). Without a school table the document still
    carries its narrative and `table_error`; with `require_table` that error is raised instead.

    With a `standard`, a county-level indicator table (县级指标) is read too; an error in it is the
    county's to fix and is always raised."""
    limits = limits or Limits()
    check_size(len(data), file, limits)
    reader = choose_reader(data, file, suffix or Path(file).suffix)
    source = Source(file, sha256_of(data), reader.kind)
    extract = reader.read(data, source, limits)
    school_grids = prepare_scanned([g for g in extract.grids if not is_county_grid(g)], file=file)
    sheet = understand_county_sheet(extract.grids, source, standard) if standard is not None else None
    try:
        reading = understand_table(school_grids, source, shared_weights=shared_weights)
    except TableError as exc:
        if require_table:
            raise
        return Document(source, None, extract.paragraphs, extract.pages, warnings=extract.warnings,
                        table_error=exc, county_sheet=sheet)
    to_confirm = figures_to_confirm(reading.table, reading.inconsistencies) \
        if any(g.strategy == "ocr" for g in school_grids) else ()
    return Document(source, reading.table, extract.paragraphs, extract.pages, reading.headers,
                    reading.ignored_headers, reading.inconsistencies, extract.warnings, to_confirm,
                    county_sheet=sheet)


def read_document(path: str | Path, standard=None, *, limits: Limits | None = None,
                  require_table: bool = False, name: str | None = None) -> Document:
    """Read a submitted file from disk; raises a `ReadError` subclass with a bilingual message.

    `name` is the file's name as the user gave it (a stored copy's own name is not theirs): every
    message and provenance names the file by it."""
    limits = limits or Limits.from_env()
    name = name or Path(path).name
    try:
        data = load_bytes(path, limits)
    except ReadError as exc:
        raise type(exc)(exc.zh.replace(Path(path).name, name), exc.en.replace(Path(path).name, name),
                        **{**exc.details, "file": name}) from None
    weights = dict(standard.options.shared_resource_weights) if standard else None
    return parse_document(data, file=name, suffix=Path(name).suffix or Path(path).suffix, limits=limits,
                          shared_weights=weights, require_table=require_table, standard=standard)
