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


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "docx"])
def test_music_and_art_teacher_columns_are_summed(fmt, rows, baseline, standard, tmp_path):
    """音乐教师 and 美术教师 in separate columns: art_teachers is their sum, R3 is evaluated on it,
    and the sum's provenance names both columns."""
    from inspection.evaluation import evaluation_json
    from inspection.ingest import read_school_table, sha256_of
    from inspection.rules import evaluate_resources
    from tests.ingest.helpers import split_column
    lay = renamed()
    spec = split_column(TableSpec.of(rows, lay), "艺术", ("音乐教师（人）", "美术教师（人）"))
    path = WRITERS[fmt](tmp_path / f"split.{fmt}", spec, lay)
    table = read_school_table(path, standard)
    head = [c[0] for c in spec.header[-1]]
    music, art, pe, students = (head.index(h) for h in ("音乐教师（人）", "美术教师（人）", "体育专任教师", "学生数（人）"))
    for i, row in enumerate(spec.body):
        want = float(row[music][0]) + float(row[art][0])
        assert float(row[music][0]) > 0 and float(row[art][0]) > 0
        assert table.figures["art_teachers"][i] == pytest.approx(want, rel=1e-12)
    evaluation = evaluate_resources(table, standard)
    first = spec.body[0]
    r3 = (float(first[pe][0]) + float(first[music][0]) + float(first[art][0])) / float(first[students][0]) * 100
    assert evaluation.values[0][list(evaluation.ids).index("R3")] == pytest.approx(r3, rel=1e-12)
    assert_same_evaluation(evaluation_json(evaluation), baseline)
    prov = table.row_provenance(0, "art_teachers")
    assert prov.column == "音乐教师（人）" and prov.sha256 == sha256_of(path.read_bytes())
    assert [p.column for p in prov.parts] == ["音乐教师（人）", "美术教师（人）"]
    assert [float(p.raw) for p in prov.parts] == [float(first[music][0]), float(first[art][0])]
    assert all(p.row == prov.row and p.table == prov.table for p in prov.parts)
    assert "“音乐教师（人）”" in prov.note and "“美术教师（人）”" in prov.note and "相加" in prov.describe()


@pytest.fixture
def equipment_parts(monkeypatch, tmp_path):
    """The shipped header rules plus parts for the equipment value (仪器 + 电教), to show each part
    column keeps its own unit."""
    from inspection.ingest import headers
    from inspection.standard import STANDARDS_DIR
    text = (STANDARDS_DIR / "table-headers.toml").read_text(encoding="utf-8")
    path = tmp_path / "table-headers.toml"
    path.write_text(text + '\n[parts.equipment_value]\nparts = [{ all = ["仪器"] }, { all = ["电教"] }]\n',
                    encoding="utf-8")
    vocab = headers.load_vocabulary(path)
    headers._classify.cache_clear()
    monkeypatch.setattr(headers, "vocabulary", lambda: vocab)
    yield
    headers._classify.cache_clear()


def test_each_part_column_keeps_its_unit(equipment_parts, rows, standard, tmp_path):
    from inspection.ingest import read_school_table
    spec = TableSpec.of(rows, renamed())
    spec.header[-1].append(("电教设备值（元）", 1, 1))
    for row in spec.body:
        row.append(("50000.00", 1, 1))
    table = read_school_table(write_csv(tmp_path / "e.csv", spec), standard)
    for i, row in enumerate(rows):
        assert table.figures["equipment_value"][i] == pytest.approx(round(row["equipment_value"] / 1e4, 4) * 1e4 + 50000)
    assert [p.column for p in table.row_provenance(0, "equipment_value").parts] == \
        ["教学仪器设备值（万元）", "电教设备值（元）"]
