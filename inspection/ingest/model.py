"""What readers return (raw grids and paragraphs) and what ingestion returns (a `Document`).

A reader never interprets a table: it hands over `Grid`s — rows of cell texts exactly as seen, `None`
where a merged cell covers the position — with enough location to build a `Provenance` for every
cell. Table understanding (`inspection.ingest.understand`) turns grids into the school table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # annotations only: the sandbox's child reads a file without the rule models
    from inspection.table import Provenance, SchoolTable


@dataclass(frozen=True, slots=True)
class Source:
    """The submitted file: its name (as shown to people), SHA-256 and detected format."""

    file: str
    sha256: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class Grid:
    """One table as a reader saw it (原始表格).

    `rows[i][j]` is the text of row i, column j (`None` under a merged cell); `row_numbers[i]` is row
    i's number in the source (CSV line, sheet row, table row); `page` is the PDF page (1-based) or
    `None`; `index` numbers the tables of the document from 1; `caption` is text just above the table
    (title, unit notes); `sheet` names an XLSX sheet; `strategy` is how a PDF table was found:
    "lines" (ruled), "text" (a borderless table read from the alignment of its text) or "ocr" (a
    scanned page's ruled table, recognised cell by cell); an "ocr" grid has `scan[i][j]`, the
    cell's box on the page and the engine's confidence (`ScanCell`; a merged cell's under it).
    """

    rows: tuple[tuple[str | None, ...], ...]
    row_numbers: tuple[int, ...]
    index: int
    page: int | None = None
    caption: str = ""
    sheet: str = ""
    strategy: str = ""
    scan: tuple[tuple["ScanCell | None", ...], ...] = ()
    width: int = field(init=False, compare=False, repr=False)   # the widest row, counted once

    def __post_init__(self) -> None:
        # Asked for every row a table has (fragment joins): counting it each time was quadratic.
        object.__setattr__(self, "width", max((len(r) for r in self.rows), default=0))


@dataclass(frozen=True, slots=True)
class ScanCell:
    """Where an OCR cell stands on its scanned page (PDF points: x0, top, x1, bottom) and how sure the
    engine was of its text (0–100); a recognised cell also keeps both its readings, as words and as a
    figure, until its column says which it is."""

    box: tuple[float, float, float, float]
    confidence: float
    words: tuple[str, float] | None = None      # the cell read as words (a name) and how sure
    figure: tuple[str, float] | None = None     # … and as a figure (digits only)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A narrative paragraph (正文段落) with its page (PDF) or paragraph index (DOCX)."""

    text: str
    page: int | None = None
    index: int = 0


@dataclass(frozen=True, slots=True)
class Extract:
    """A reader's whole output: grids, paragraphs, and warnings worth showing (e.g. cid fonts)."""

    grids: tuple[Grid, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    pages: int | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Inconsistency:
    """Figures that contradict each other (数据矛盾): a totals row, or two documents disagreeing."""

    quote: str
    zh: str
    en: str
    page: int | None = None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Document:
    """A read submission: the school table (or `None` when the file has no school table), the
    narrative, the mapped and ignored headers, and the contradictions found while reading."""

    source: Source
    table: SchoolTable | None
    paragraphs: tuple[Paragraph, ...] = ()
    pages: int | None = None
    headers: dict[str, str] = field(default_factory=dict)     # field → header as written
    ignored_headers: tuple[str, ...] = ()
    inconsistencies: tuple[Inconsistency, ...] = ()
    warnings: tuple[str, ...] = ()
    to_confirm: tuple = ()                                    # OCR figures a person must confirm (`ToConfirm`)
    table_error: Exception | None = None                      # why no table, if none was read
    county_sheet: object | None = None                        # a `CountySheet` (县级指标), if the file has one
