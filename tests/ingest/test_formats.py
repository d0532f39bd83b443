"""One table, many layouts, four formats: every evaluation equals the canonical CSV's."""

import pytest

from tests.ingest.factories import Layout, TableSpec, renamed, write_csv, write_docx, write_pdf, write_xlsx
from tests.ingest.helpers import assert_same_evaluation, evaluate_file

LAYOUTS = {
    "canonical": Layout(),
    "renamed_reordered": renamed(),
    "yuan_thousands": renamed(equipment_unit="元", thousands=True),
    "unit_note": renamed(equipment_unit="", unit_note="金额单位：万元；面积单位：平方米"),
    "title_totals": renamed(title="××县义务教育学校办学条件统计表", totals=True),
    "two_row_header": renamed(group_teachers=True),
    "combined_pe_art": renamed(combined_pe_art=True),
    "full_width": Layout(fullwidth=True),
    "stage_sections": renamed(sections=True),
    "nine_year_merged": renamed(merge_nine_year=True),
}
WRITERS = {
    "csv": lambda p, spec, lay: write_csv(p, spec),
    "xlsx": lambda p, spec, lay: write_xlsx(p, spec),
    "docx": lambda p, spec, lay: write_docx(p, spec),
    "pdf": lambda p, spec, lay: write_pdf(p, spec, lay),
}
PDF_LAYOUTS = {"renamed_reordered", "yuan_thousands", "title_totals", "two_row_header", "nine_year_merged",
               "stage_sections"}


def _cases():
    for layout in LAYOUTS:
        for fmt in WRITERS:
            if fmt == "pdf" and layout not in PDF_LAYOUTS:
                continue
            yield pytest.param(layout, fmt, id=f"{layout}-{fmt}")


@pytest.mark.parametrize("layout,fmt", list(_cases()))
def test_same_table_same_evaluation(layout, fmt, rows, baseline, standard, tmp_path):
    lay = LAYOUTS[layout]
    path = WRITERS[fmt](tmp_path / f"{layout}.{fmt}", TableSpec.of(rows, lay), lay)
    assert_same_evaluation(evaluate_file(path, standard), baseline)


def test_xlsx_with_text_cells_and_an_instructions_sheet(rows, baseline, standard, tmp_path):
    lay = renamed(thousands=True)
    path = write_xlsx(tmp_path / "t.xlsx", TableSpec.of(rows, lay), numbers_as_numbers=False)
    assert_same_evaluation(evaluate_file(path, standard), baseline)


def test_extension_does_not_choose_the_reader(rows, baseline, standard, tmp_path):
    """Content decides: an XLSX saved without an extension still reads as a workbook."""
    path = write_xlsx(tmp_path / "upload.xlsx", TableSpec.of(rows, Layout()))
    bare = path.rename(tmp_path / "upload")
    assert_same_evaluation(evaluate_file(bare, standard), baseline)
