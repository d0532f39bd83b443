from datetime import date

import pytest

from inspection.documents.model import DocNumber
from inspection.numerals import (arabic_date, chinese_date, chinese_numeral, fmt_amount, fmt_count,
                                 fmt_number, fmt_percent, section_number)


def test_signature_date_in_chinese_numerals():
    assert chinese_date(date(2026, 11, 29)) == "二〇二六年十一月二十九日"
    assert chinese_date(date(2030, 1, 10)) == "二〇三〇年一月十日"
    assert arabic_date(date(2027, 6, 30)) == "2027年6月30日"


@pytest.mark.parametrize("n, zh", [(1, "一"), (10, "十"), (11, "十一"), (20, "二十"), (29, "二十九"), (105, "一百零五")])
def test_chinese_numerals(n, zh):
    assert chinese_numeral(n) == zh


def test_section_numbers_by_level():
    assert [section_number(level, 2) for level in (1, 2, 3, 4)] == ["二、", "（二）", "2．", "（2）"]


def test_figures_follow_chinese_conventions():
    assert fmt_number(4.20) == "4.2" and fmt_number(2228.48) == "2228" and fmt_number(123456.7) == "123,457"
    assert fmt_percent(0.875) == "87.5%" and fmt_count(12345) == "12,345" and fmt_number(0.0) == "0"


def test_amounts_and_percentages_keep_their_decimals_so_a_column_reads_alike():
    assert [fmt_percent(r) for r in (1, 0, 0.351)] == ["100.0%", "0.0%", "35.1%"]
    assert [fmt_amount(x, "万元") for x in (149.5, 152.91, 0, 15463.1)] == ["149.50", "152.91", "0.00", "15,463.10"]
    assert [fmt_amount(x, "平方米") for x in (1194.0, 43468.0, 43468.3)] == ["1194", "43,468", "43,469"]
    assert fmt_amount(813.371, "万元") == "813.38" and fmt_amount(0.1 + 0.2, "万元") == "0.30"
    assert fmt_amount(-0.001, "万元") == "0.00" and fmt_amount(3, "人") == "3"


def test_document_number_and_draft():
    assert str(DocNumber("喀教督", 2026, 7)) == "喀教督〔2026〕7号"
    assert str(DocNumber("喀教督", 2026)) == "喀教督〔2026〕\u3000\u3000号"
