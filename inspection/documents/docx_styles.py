"""The paragraph styles (样式) of an official DOCX, as data: one style per part of a GB/T 9704 document.

A secretary edits a letter by its styles (公文标题, 主送机关, 公文正文, 一级标题 …), as in the
templates offices use, so every paragraph names one and carries no direct font or size of its own.
Text on the 28 × 22 grid (body, headings, addressee, signature) snaps to the document's line grid and
is condensed to 28 characters a line; titles, tables, captions and the 版记 have other sizes and keep
their own metrics (snapToGrid off). Indents are given both in grid characters
(w:firstLineChars, which Word and WPS use) and in twips (LibreOffice before 24.2 reads only these).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from inspection.documents import fonts

BODY_PT = fonts.SIZE["三号"]
LINE_PT = 28.95                                   # 版心 225 mm / 22 lines


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


TEXT_WIDTH_TWIPS = twips(156)                     # 版心 156 mm
LEFT_MARGIN_TWIPS = twips(28)                     # 订口 28 mm
LINE_PITCH_TWIPS = round(LINE_PT * 20)
# 28 characters a line come from condensing grid text 0.25 pt (w:spacing, in twentieths of a point):
# 28 × 15.75 pt fit the 442.2 pt 版心 and 29 do not, and Word, WPS and LibreOffice all honour it. The
# document grid is a line grid only: LibreOffice gives each character of a character grid narrower
# than 三号 two cells, 14 a line.
CONDENSE_TWENTIETHS = -5
CHAR_PT = BODY_PT + CONDENSE_TWENTIETHS / 20     # one character of grid text: 15.75 pt
RED = "E60012"


@dataclass(frozen=True)
class Style:
    """A paragraph (or, with `character`, a run) style; sizes in points, indents in grid characters."""

    style_id: str
    name: str
    role: fonts.FontRole
    size: float = BODY_PT
    align: str = "both"                  # w:jc: both | center | right | left
    first_line: float = 0.0              # characters; negative is a hanging indent
    left: float = 0.0
    right: float = 0.0
    line: float | None = LINE_PT         # exact line height; None: single (auto)
    before: float = 0.0
    after: float = 0.0
    bold: bool = False
    color: str | None = None
    keep_next: bool = False
    outline: int | None = None           # heading level shown in Word's navigation pane (0 = 一级)
    grid: bool = True                    # snap to the document grid
    character: bool = False

    def xml(self) -> str:
        kind = "character" if self.character else "paragraph"
        head = (f'<w:style w:type="{kind}" w:customStyle="1" w:styleId="{self.style_id}"><w:name w:val="{self.name}"/>'
                + ("" if self.character else '<w:basedOn w:val="Normal"/><w:next w:val="GwBody"/>') + "<w:qFormat/>")
        return head + ("" if self.character else self._ppr()) + self._rpr() + "</w:style>"

    def _ppr(self) -> str:
        keep = "<w:keepNext/>" if self.keep_next else ""
        # grid text: snapped to the line grid, and no punctuation hung past the 版心's right edge
        grid = '<w:overflowPunct w:val="0"/>' if self.grid else '<w:snapToGrid w:val="0"/>'
        line = (f'w:line="{round(self.line * 20)}" w:lineRule="exact"' if self.line
                else 'w:line="240" w:lineRule="auto"')
        spacing = f'<w:spacing w:before="{round(self.before * 20)}" w:after="{round(self.after * 20)}" {line}/>'
        outline = "" if self.outline is None else f'<w:outlineLvl w:val="{self.outline}"/>'
        return f"<w:pPr>{keep}{grid}{spacing}{_indent(self.first_line, self.left, self.right)}" \
               f'<w:jc w:val="{self.align}"/>{outline}</w:pPr>'

    def _rpr(self) -> str:
        half = round(self.size * 2)
        return (f"<w:rPr>{rfonts_xml(self.role)}" + ("<w:b/><w:bCs/>" if self.bold else "")
                + (f'<w:color w:val="{self.color}"/>' if self.color else "")
                + (f'<w:spacing w:val="{CONDENSE_TWENTIETHS}"/>' if self.grid and not self.character else "")
                + f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/></w:rPr>')


def _indent(first_line: float, left: float, right: float) -> str:
    """w:ind in characters (hundredths) and the same in twips at the pitch of grid text."""
    if not (first_line or left or right):
        return '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'
    tw = lambda chars: round(chars * CHAR_PT * 20)
    first = (f'w:hanging="{tw(-first_line)}" w:hangingChars="{round(-first_line * 100)}"' if first_line < 0
             else f'w:firstLine="{tw(first_line)}" w:firstLineChars="{round(first_line * 100)}"')
    return (f'<w:ind w:left="{tw(left)}" w:leftChars="{round(left * 100)}" w:right="{tw(right)}" '
            f'w:rightChars="{round(right * 100)}" {first}/>')


def rfonts_xml(role: fonts.FontRole) -> str:
    f = role.docx_name
    return (f'<w:rFonts w:ascii="{fonts.LATIN}" w:hAnsi="{fonts.LATIN}" w:eastAsia="{f}" w:cs="{fonts.LATIN}" '
            f'w:hint="eastAsia"/>')


_S = fonts.SIZE
BODY = Style("GwBody", "公文正文", fonts.FANGSONG, first_line=2)
STYLES = {s.style_id: s for s in (
    BODY,
    # 7.2.4: the masthead's top 35 mm below the 版心 (99 pt less the gap above the ink of a single line);
    # the number, rule and title at the distances the PDF has, measured in LibreOffice's rendering
    Style("GwMasthead", "发文机关标志", fonts.XIAOBIAOSONG, 44.0, "center", line=None, before=99, bold=True,
          color=RED, grid=False),
    Style("GwDocNumber", "发文字号", fonts.FANGSONG, align="center", before=17, grid=False),
    Style("GwRedRule", "版头分隔线", fonts.FANGSONG, 2.0, line=4, before=11, after=42, grid=False),
    Style("GwDocTitle", "公文标题", fonts.XIAOBIAOSONG, _S["二号"], "center", line=32, after=25, bold=True,
          grid=False),
    Style("GwAddressee", "主送机关", fonts.FANGSONG),
    Style("GwHeading1", "一级标题", fonts.HEITI, first_line=2, keep_next=True, outline=0),
    Style("GwHeading2", "二级标题", fonts.KAITI, first_line=2, keep_next=True, outline=1),
    Style("GwHeading3", "三级标题", fonts.FANGSONG, first_line=2, keep_next=True, outline=2, bold=True),
    # left, not justified: a line ended by a line break would be spread across the 版心
    Style("GwAttachmentList", "附件说明", fonts.FANGSONG, align="left", first_line=-3, left=5, before=LINE_PT),
    Style("GwSignature", "发文机关署名", fonts.FANGSONG, align="right", before=LINE_PT * 2, keep_next=True),
    Style("GwSignDate", "成文日期", fonts.FANGSONG, align="right"),
    Style("GwAttachmentMark", "附件标识", fonts.HEITI),
    Style("GwAttachmentTitle", "附件标题", fonts.XIAOBIAOSONG, _S["二号"], "center", line=32, after=12, bold=True,
          grid=False),
    Style("GwTableCaption", "表格标题", fonts.HEITI, _S["四号"], "center", line=_S["四号"] * 1.5, before=6,
          keep_next=True, grid=False),
    # tables as the PDF sets them (official.css.j2): lines 1.35 em, 小五 1.25 em
    Style("GwTableText", "表格文字", fonts.FANGSONG, _S["小四"], "center", line=_S["小四"] * 1.35, grid=False),
    Style("GwTableHead", "表头", fonts.HEITI, _S["小四"], "center", line=_S["小四"] * 1.35, grid=False),
    Style("GwTableNote", "表注", fonts.KAITI, _S["五号"], line=_S["五号"] * 1.4, after=6, grid=False),
    Style("GwFigure", "图", fonts.FANGSONG, align="center", line=None, keep_next=True, grid=False),
    Style("GwFigureCaption", "图题", fonts.HEITI, _S["小四"], "center", line=_S["小四"] * 1.4, after=6, grid=False),
    Style("GwColophon", "版记", fonts.FANGSONG, _S["四号"], "left", line=_S["四号"] * fonts.COLOPHON["leading"], grid=False),
    Style("GwPageNumber", "页码", fonts.SONGTI, _S["四号"], line=None, grid=False),
    Style("GwSpacer", "间隔", fonts.FANGSONG, 2.0, line=2, grid=False),
    Style("GwRunInHead", "段首标题", fonts.KAITI, character=True),
)}

# Tables come in three sizes (小四, 五号, 小五): each size has its own 表格文字 and 表头.
_TABLE_SIZES = {"normal": "", "small": "五号", "tiny": "小五"}
for _size, _label in _TABLE_SIZES.items():
    if _label:
        for _base in ("GwTableText", "GwTableHead"):
            _s = STYLES[_base]
            _v = replace(_s, style_id=f"{_base}{_size.title()}", name=f"{_s.name}（{_label}）", size=_S[_label],
                         line=_S[_label] * (1.25 if _size == "tiny" else 1.35))
            STYLES[_v.style_id] = _v


def table_styles(size: str) -> tuple[str, str]:
    """(text style, header style) ids of a table of `size` (normal | small | tiny)."""
    suffix = "" if size == "normal" else size.title()
    return f"GwTableText{suffix}", f"GwTableHead{suffix}"


def for_document(masthead_pt: float, signature: str, date: str) -> dict[str, Style]:
    """The styles of one document: the masthead at the size its name fits, and the signature and date
    centred on each other four characters in from the right (GB/T 9704-2012 7.3.5.1)."""
    width = max(len(signature), len(date))
    styles = dict(STYLES)
    styles["GwMasthead"] = replace(STYLES["GwMasthead"], size=masthead_pt)
    styles["GwSignature"] = replace(STYLES["GwSignature"], right=4 + (width - len(signature)) / 2)
    styles["GwSignDate"] = replace(STYLES["GwSignDate"], right=4 + (width - len(date)) / 2)
    return styles


def normal_xml() -> str:
    """Normal: the faces and size every style inherits, and the base the document grid is measured on."""
    return (f'<w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH_TWIPS}" '
            f'w:lineRule="exact"/><w:jc w:val="both"/></w:pPr>'
            f'<w:rPr>{rfonts_xml(fonts.FANGSONG)}<w:kern w:val="2"/><w:sz w:val="{round(BODY_PT * 2)}"/>'
            f'<w:szCs w:val="{round(BODY_PT * 2)}"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr>')
