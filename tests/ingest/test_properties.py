"""Property-based tests (hypothesis) for the cell parser, the county-figure parser and the header
mapper: for any input they return a value or raise the project's own error, never anything else."""

import math
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from inspection.columns import canonical_columns
from inspection.errors import TableError
from inspection.ingest.county_sheet import ValueProblem, parse_value
from inspection.ingest.headers import map_headers
from inspection.standard import load_standard
from inspection.table import parse_number

FULLWIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
STANDARD = load_standard()


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False), st.sampled_from(["", " ", "\u3000"]),
       st.booleans(), st.booleans())
def test_a_written_number_reads_back_whatever_its_form(x, pad, thousands, fullwidth):
    text = f"{x:,.2f}" if thousands else f"{x:.2f}"
    if fullwidth:
        text = text.translate(FULLWIDTH)
    assert math.isclose(parse_number(pad + text + pad), round(x, 2), rel_tol=1e-12, abs_tol=1e-9)


@given(st.text(max_size=40))
def test_any_cell_is_a_finite_number_blank_or_a_value_error(text):
    try:
        value = parse_number(text)
    except ValueError:
        return
    assert value is None or math.isfinite(value)


@given(st.sampled_from([i for i in STANDARD.county_indicators if not i.multi_year]), st.text(max_size=30))
def test_any_county_value_is_parsed_or_refused_with_a_reason(ind, text):
    try:
        value = parse_value(ind, text)
    except ValueProblem as problem:
        assert problem.zh and problem.en
        return
    if ind.judged:
        assert isinstance(value, bool)
    elif ind.comparator == "grade":
        assert value in ind.scale
    elif isinstance(ind.threshold, dict):
        assert set(value) == set(ind.threshold) and all(0 <= v <= 100 or not ind.unit.startswith("%")
                                                        for v in value.values())
    else:
        assert value >= 0 and (value <= 100 or not ind.unit.startswith("%"))


HEADERS = [c.header for c in canonical_columns() if not c.optional]


@settings(max_examples=60, deadline=None)
@given(st.permutations(HEADERS), st.lists(st.sampled_from(["", " ", "\n", "\u3000"]), min_size=len(HEADERS),
                                          max_size=len(HEADERS)))
def test_canonical_headers_map_in_any_order_and_spacing(order, spaces):
    written = [f"{s}{h[:2]}{s}{h[2:]}" for h, s in zip(order, spaces)]
    matches = {m.field: m.index for m in map_headers(written, file="t.csv")}
    for c in canonical_columns():
        if not c.optional:
            assert order[matches[c.field]] == c.header


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(alphabet=string.ascii_letters + "学校名称学段在校生数班级教师面积元间", max_size=12),
                max_size=14))
def test_any_header_row_maps_or_says_what_is_missing(headers):
    try:
        matches = map_headers(headers, file="t.csv")
    except TableError as exc:       # AmbiguousColumnError is a TableError too
        assert exc.zh and exc.en
        return
    assert len({m.index for m in matches if m.part is None}) == len([m for m in matches if m.part is None])
