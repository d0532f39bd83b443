"""The one layout model every renderer reads: an official document (公文) as frozen blocks.

A builder (letter, monitoring report, notices) turns the committee's findings into an
`OfficialDocument`; the PDF and DOCX renderers only lay it out, so the two formats cannot disagree.
The parts follow GB/T 9704-2012: 版头 (masthead: issuing authority in red, document number, red
rule), 主体 (title, addressee, body, attachment list, signature, date), 附件 (attachments on their own
pages) and 版记 (copy-to and printing line).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Union

from inspection.documents.charts import Chart
from inspection.numerals import arabic_date

Align = Literal["left", "center", "right"]


@dataclass(frozen=True)
class DocNumber:
    """发文字号: 喀教督〔2026〕3号. `serial` None is a draft whose number is not yet issued."""

    prefix: str
    year: int
    serial: int | None = None

    def __str__(self) -> str:
        serial = "\u3000\u3000" if self.serial is None else str(self.serial)
        return f"{self.prefix}〔{self.year}〕{serial}号"


@dataclass(frozen=True)
class Issue:
    """Who issues the document, under which number, on which date (发文信息)."""

    authority: str                  # 发文机关, e.g. 喀什地区人民政府教育督导委员会
    number: DocNumber
    issued: date                    # 成文日期
    masthead: str = ""              # 发文机关标志; defaults to authority + 文件
    office: str = ""                # 印发机关; defaults to authority + 办公室
    copy_to: tuple[str, ...] = ()   # 抄送
    signer: str = ""                # 签发人, printed on upward documents; "" leaves it to be written in

    @property
    def masthead_text(self) -> str:
        return self.masthead or f"{self.authority}文件"

    @property
    def masthead_size_pt(self) -> float:
        """The masthead's size: as large as fits the 156 mm (442 pt) text block, at most 二号 × 2."""
        return round(min(44.0, 430.0 / max(len(self.masthead_text), 1)), 1)

    @property
    def office_text(self) -> str:
        return self.office or f"{self.authority}办公室"


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 黑体 (一、), 2 楷体 (（一）), 3 仿宋 bold (1．)."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    """Body text, first line indented two characters; `lead` is a run-in heading in bold."""

    text: str
    lead: str = ""
    align: Align = "left"
    indent: bool = True


@dataclass(frozen=True)
class Column:
    label: str
    width: float = 1.0              # relative width
    align: Align = "center"


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on every page it spans; `emphasis` marks rows (e.g. unmet)."""

    caption: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    emphasis: tuple[bool, ...] = ()
    note: str = ""
    size: Literal["normal", "small", "tiny"] = "normal"   # 小四, 五号, 小五

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table '{self.caption}': row {row[:2]} has {len(row)} cells, "
                                 f"expected {len(self.columns)}")


@dataclass(frozen=True)
class Figure:
    """A chart (图) with its caption; width in millimetres of the 156 mm text block."""

    caption: str
    chart: Chart
    width_mm: float = 156.0


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Union[Heading, Paragraph, Table, Figure, PageBreak]


@dataclass(frozen=True)
class Attachment:
    """附件: starts on a new page headed 附件N (黑体) and its title."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class OfficialDocument:
    """A complete 公文. `kind` and `county` choose the PDF template (`{kind}-{county}.html` first)."""

    kind: str                       # letter | monitoring | rectification | accountability
    issue: Issue
    title: str
    addressee: str
    body: tuple[Block, ...]
    attachments: tuple[Attachment, ...] = ()
    county: str | None = None
    signature: str = ""             # 发文机关署名; defaults to the issuing authority
    upward: bool = False            # 上行文: the 签发人 stands beside the document number
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def signature_text(self) -> str:
        return self.signature or self.issue.authority

    @property
    def signer_text(self) -> tuple[str, str]:
        """("签发人：", name) for an upward document; a blank name is left for the signer's hand."""
        return "签发人：", self.issue.signer or "\u3000" * 3

    @property
    def date_text(self) -> str:
        """成文日期 in Arabic numerals, year in full, no padding (GB/T 9704-2012 7.3.5.1): 2026年11月29日."""
        return arabic_date(self.issue.issued)

    @property
    def print_line(self) -> tuple[str, str]:
        """版记 printing line: (印发机关, 印发日期)."""
        return self.issue.office_text, f"{arabic_date(self.issue.issued)}印发"

    @property
    def attachment_list(self) -> tuple[str, ...]:
        """附件说明 lines: 1．title (numbers only when there are several)."""
        if len(self.attachments) == 1:
            return (self.attachments[0].title,)
        return tuple(f"{i}．{a.title}" for i, a in enumerate(self.attachments, 1))

    def blocks(self):
        """Every block of the body and the attachments, in order (for tests and search)."""
        yield from self.body
        for a in self.attachments:
            yield from a.blocks
