"""Numbers, dates and section numbers in the conventions of Chinese official documents (数字用法).

- Section numbers (结构层次序数): 一、 （一） 1. （1） — `section_number(level, n)`.
- Dates: 2026年11月29日 (`arabic_date`) everywhere, the 成文日期 included (GB/T 9704-2012 7.3.5.1:
  Arabic numerals, the year in full, no padding); `chinese_date` (二〇二六年十一月二十九日) is kept for
  text that quotes a date in words.
- Figures: at most two decimals with trailing zeros dropped; digits grouped by thousands only from
  five digits on (GB/T 15835: four-digit numbers are not grouped outside tables of money).
- Amounts to add (`fmt_amount`) and percentages keep a fixed number of decimals, so a column of them
  reads alike: 万元 to 0.01 (149.50), people, rooms and 平方米 whole, percentages to 0.1 % (100.0%).

Pure (no I/O): the rules' sentences, the documents, the ledgers and the UI format figures here alike.
"""

from __future__ import annotations

import math
from datetime import date

_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一, 100 → 一百 (0 < n < 1000): section and attachment numbers."""
    if not 0 < n < 1000:
        raise ValueError(f"chinese_numeral supports 1–999, got {n}")
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and units:
        out += "零"
    if units:
        out += _DIGITS[units]
    return out


def chinese_date(d: date) -> str:
    """The signature date: 2026-11-29 → 二〇二六年十一月二十九日 (year digit by digit, 〇 for zero)."""
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{chinese_numeral(d.month)}月{chinese_numeral(d.day)}日"


def arabic_date(d: date) -> str:
    """A date in running text or a table: 2026年11月29日 (no leading zeros)."""
    return f"{d.year}年{d.month}月{d.day}日"


def section_number(level: int, n: int) -> str:
    """Heading numbers by level: 1 → 一、  2 → （一）  3 → 1．  4 → （1）."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}．"
    return f"（{n}）"


def fmt_number(x: float, digits: int | None = None) -> str:
    """A figure: up to `digits` decimals (default: none from 1,000 up, else two), trailing zeros
    dropped; grouped by thousands from 10,000."""
    x = float(x)
    if digits is None:
        digits = 0 if abs(x) >= 1000 else 2
    text = f"{x:,.{digits}f}" if abs(x) >= 10000 else f"{x:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_percent(ratio: float, digits: int = 1) -> str:
    """0.875 → 87.5%, 1 → 100.0% (a ratio as a percentage, `digits` decimals always shown)."""
    return f"{_grouped(ratio * 100, digits)}%"


def fmt_amount(x: float, unit: str) -> str:
    """An amount to add or a total of them, in `unit`, rounded up (less would not be enough): 万元 to
    two decimals always (149.50), everything else whole (people and rooms are whole; a square metre is
    the finest a building plan states)."""
    digits = 2 if unit == "万元" else 0
    return _grouped(math.ceil(round(float(x) * 10 ** digits, 6)) / 10 ** digits, digits)


def _grouped(x: float, digits: int) -> str:
    x = round(float(x), digits) + 0.0          # + 0.0: no "-0"
    return f"{x:,.{digits}f}" if abs(x) >= 10000 else f"{x:.{digits}f}"


def fmt_count(n: float) -> str:
    """A whole count: 1234 → 1234, 12345 → 12,345."""
    return fmt_number(round(float(n)), 0)
