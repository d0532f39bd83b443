"""The 待人工核对 rules as pure functions: which OCR figures a person must confirm, and why; and the
worker's reading of one figure (repairs, two readings that must agree)."""

import importlib.util
from pathlib import Path

from inspection.ingest.model import Inconsistency
from inspection.ingest.ocr_review import figures_to_confirm, ocr_rules
from inspection.table import Cell, Provenance, build_table
from tests.factories import school

WORKER_GRID = Path(__file__).parents[2] / "inspection" / "ingest" / "ocr_grid.py"


def _grid_module():
    spec = importlib.util.spec_from_file_location("ocr_grid_under_test", WORKER_GRID)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _table(rows, confidence=99.0, low=None):
    """`rows` as an OCR table: every cell with a provenance and `confidence`; `low` = {(i, field): c}."""
    low = low or {}
    cells = []
    for i, r in enumerate(rows):
        row = {}
        for field, value in r.items():
            text = {"primary": "小学", "junior": "初中"}.get(value, value) if field == "stage" else str(value)
            prov = Provenance("scan.pdf", "x", i + 2, field, text, page=1, table=1, box=(1.0, 2.0, 3.0, 4.0),
                              confidence=low.get((i, field), confidence))
            row[field] = Cell(text, prov)
        cells.append(row)
    return build_table(cells, file="scan.pdf")


def test_a_confident_plausible_table_has_nothing_to_confirm(standard):
    rows = [school(standard, f"城关第{n}小学", students=400 + 30 * k) for k, n in enumerate("一二三")]
    assert figures_to_confirm(_table(rows)) == ()


def test_low_confidence_is_flagged_with_its_cell(standard):
    rows = [school(standard, "城关第一小学", students=400), school(standard, "城关第二小学", students=500)]
    rules = ocr_rules()
    found = figures_to_confirm(_table(rows, low={(1, "teaching_area"): rules.min_confidence - 0.1,
                                                 (0, "name"): rules.min_name_confidence - 1}))
    assert [(c.school, c.field, c.reasons) for c in found] == [
        ("城关第一小学", "name", ("low_confidence",)), ("城关第二小学", "teaching_area", ("low_confidence",))]
    assert found[1].page == 1 and found[1].box == (1.0, 2.0, 3.0, 4.0) and "识别置信度低" in found[1].describe()


def test_an_implausible_ratio_flags_both_its_figures(standard):
    rows = [school(standard, "城关第一小学", students=400)]
    rows[0]["classes"] = 2                            # 200 pupils a class: outside 5–80
    found = figures_to_confirm(_table(rows))
    assert {(c.field, c.reasons) for c in found} == {("students", ("bound",)), ("classes", ("bound",))}


def test_a_totals_mismatch_flags_its_whole_column(standard):
    rows = [school(standard, "城关第一小学", students=400), school(standard, "城关第二小学", students=500)]
    table = _table(rows)
    totals = Inconsistency("合计 901", "合计不符", "totals differ", 1,
                           (Provenance("scan.pdf", "x", 9, "students", "901", 1, 1, confidence=95.0),))
    found = figures_to_confirm(table, [totals])
    assert [(c.school, c.field, c.reasons) for c in found] == [("城关第一小学", "students", ("totals",)),
                                                                ("城关第二小学", "students", ("totals",))]


def test_a_text_table_is_never_flagged(standard):
    rows = [school(standard, "城关第一小学", students=400)]
    rows[0]["classes"] = 2
    table = build_table([{k: Cell(str(v)) for k, v in r.items()} for r in rows], file="t.csv")
    assert figures_to_confirm(table) == ()


def test_a_figure_is_repaired_only_unsure():
    grid = _grid_module()
    assert grid.figure_text("1,234.50", 93.0) == ("1,234.50", 93.0)
    assert grid.figure_text("4.11 .", 91.0) == ("4.11", 0.0)         # a stray mark: repaired, unsure
    assert grid.figure_text("9,00", 95.0) == ("9.00", 0.0)           # a comma for the point: not a thousands group
    assert grid.figure_text("", 0.0) == ("0", 0.0)


def test_two_readings_that_differ_are_unsure():
    grid = _grid_module()
    assert grid.agree([("5436.60", 96.0), ("5436.60", 93.0)]) == ("5436.60", 93.0)
    assert grid.agree([("3436.60", 96.0), ("5436.60", 93.0)]) == ("3436.60", grid.DISAGREE)
    assert grid.words_text("第3小学", 94.0)[1] == grid.DISAGREE          # a digit among Chinese characters
    assert grid.words_text("城关第三小学", 94.0) == ("城关第三小学", 94.0)


def test_an_unreadable_stage_is_taken_from_a_neighbouring_row_and_unsure():
    """团结小学 misread as 区结小党 and its stage cell read as nothing: neither the name nor a nine-year
    twin tells the stage, so the row above gives it, at confidence 0 (待人工核对) rather than the scan
    being refused; the totals row keeps no stage."""
    from inspection.ingest.model import ScanCell
    from inspection.ingest.ocr_review import _infer_stages
    rows = [["学校名称", "学段"], ["城关小学", "小学"], ["区结小党", ""], ["城关中学", "初中"], ["合计", ""]]
    scan = [[ScanCell((0, k, 1, k + 1), 95.0) for _ in r] for k, r in enumerate(rows)]
    _infer_stages(rows, scan, 1, 0, 1, ocr_rules().totals_words)
    assert [r[1] for r in rows[1:]] == ["小学", "小学", "初中", ""]
    assert [c[1].confidence for c in scan[1:]] == [95.0, 0.0, 95.0, 95.0]
