"""Typefaces (字体) of official documents: the official face first, then free Debian faces.

Each role names the faces GB/T 9704 documents use (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312) so an
office machine that has them uses them, then the free faces this machine has. Free faces were chosen
for WeasyPrint speed and look, measured on this 2-core machine (3 pages of mixed CJK text, ~355
distinct characters): AR PL UMing 0.21 s, AR PL UKai 0.26 s, WenQuanYi Zen Hei 0.15 s, Noto Serif
CJK 0.28 s, Noto Sans CJK 0.22 s. What matters more is a fixed cost per face used: adding one heading
line in a face to a short document costs (median of 5) +0.08 s for WenQuanYi Zen Hei, +0.18 s for Noto
Serif CJK Bold and +0.29 s for Noto Sans CJK (the CFF faces are large to load and subset). So 黑体
falls back to WenQuanYi Zen Hei; Noto Serif CJK SC Bold stands in for 小标宋 because it has a real
bold weight (WeasyPrint does not embolden a regular face, #1470) and looks like one.

In DOCX only one East Asian face can be named per run (`w:eastAsia`): the official face, with an
`altName` in the font table for Windows machines that lack the GB2312 variants.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FontRole:
    """A typeface role: `official` faces in order of preference, then `free` fallbacks."""

    role: str
    official: tuple[str, ...]
    free: tuple[str, ...]
    generic: str
    alt_name: str            # what Word substitutes when `official[0]` is missing

    @property
    def docx_name(self) -> str:
        return self.official[0]

    def css(self) -> str:
        """A CSS `font-family` list: official faces, free faces, a generic family."""
        return ", ".join([*(f'"{f}"' for f in self.official + self.free), self.generic])


FANGSONG = FontRole("fangsong", ("仿宋_GB2312", "仿宋", "FangSong"), ("AR PL UMing CN", "Noto Serif CJK SC"),
                    "serif", "仿宋")
XIAOBIAOSONG = FontRole("xiaobiaosong", ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S"),
                        ("Noto Serif CJK SC", "AR PL UMing CN"), "serif", "宋体")
HEITI = FontRole("heiti", ("黑体", "SimHei"), ("WenQuanYi Zen Hei", "Noto Sans CJK SC"), "sans-serif", "黑体")
KAITI = FontRole("kaiti", ("楷体_GB2312", "楷体", "KaiTi"), ("AR PL UKai CN",), "serif", "楷体")
SONGTI = FontRole("songti", ("宋体", "SimSun"), ("AR PL UMing CN", "Noto Serif CJK SC"), "serif", "宋体")

ROLES = {r.role: r for r in (FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONGTI)}

# Latin letters and digits in DOCX runs (w:ascii / w:hAnsi): the usual choice in Chinese templates.
LATIN = "Times New Roman"

# Charts (SVG): sans faces with every character the charts use, in order of preference.
CHART_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Zen Hei", "AR PL UMing CN")

# GB/T 9704 type sizes (字号) in points.
SIZE = {"二号": 22.0, "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0}

# 版记 (7.4) rows: 四号 at 1.3 lines, 1 mm above and below each row, 3 mm clear of the text above, in the
# PDF and the DOCX alike, so both need about the same room at the foot of the last page (the PDF asked
# 26 mm where the DOCX asked 18, and moved the 版记 to a page of its own where the DOCX did not).
COLOPHON = {"leading": 1.3, "padding_mm": 1.0, "gap_mm": 3.0}
