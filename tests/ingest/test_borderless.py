"""Borderless PDF tables (an Excel sheet printed without gridlines): read by text alignment.

A page without ruling lines is read with pdfplumber's text strategy; a candidate is kept only when it
is a plausible data table (3+ rows and columns, header hints in its first rows). Its lines leave the
narrative; a rejected candidate's lines, and a page of prose, stay narrative.
"""

import pytest

from inspection.ingest import Limits, Source, read_document, sha256_of
from inspection.ingest.assemble import TEXT_TABLE_NOTE
from inspection.ingest.pdf_reader import READER
from tests.factories import school
from tests.ingest.factories import NARRATIVE, Layout, TableSpec, narrative_pdf, renamed, write_csv, write_pdf
from tests.ingest.helpers import assert_same_evaluation, evaluate_file

LAYOUTS = {"canonical": Layout(borderless=True, font_size=9),
           "renamed_reordered": renamed(borderless=True, font_size=9)}


def _read_pdf(path):
    data = path.read_bytes()
    return READER.read(data, Source(path.name, sha256_of(data), "pdf"), Limits())


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_borderless_table_is_read_with_provenance(layout, rows, baseline, standard, tmp_path):
    lay = LAYOUTS[layout]
    path = write_pdf(tmp_path / "borderless.pdf", TableSpec.of(rows, lay), lay)
    extract = _read_pdf(path)
    assert [g.strategy for g in extract.grids] == ["text"]  # no ruling lines: found by its text

    doc = read_document(path, standard)
    assert doc.table is not None, doc.table_error
    assert list(doc.table.names) == [r["name"] for r in rows]
    assert_same_evaluation(evaluate_file(path, standard), baseline)

    grid = extract.grids[0]
    sha = sha256_of(path.read_bytes())
    students = doc.headers["students"]
    for i, row in enumerate(rows):
        prov = doc.table.row_provenance(i, "students")
        assert (prov.file, prov.sha256, prov.page, prov.table) == ("borderless.pdf", sha, 1, 1)
        assert prov.column == students and prov.raw == str(row["students"])
        assert TEXT_TABLE_NOTE in prov.note
        # the provenance row is the grid row that holds this school's figures
        cells = grid.rows[grid.row_numbers.index(prov.row)]
        assert row["name"] in cells and str(row["students"]) in cells
    assert doc.table.row_provenance(0, "name").row < doc.table.row_provenance(1, "name").row

    # the narrative around the table is still narrative; the table's lines are not
    text = "\n".join(p.text for p in doc.paragraphs)
    for sentence in ("全县所有学校均未设置重点班。", "我县严禁以考试方式招生，全面落实免试就近入学。"):
        assert sentence in text
    assert all(p.page == 1 for p in doc.paragraphs)
    assert not any(r["name"] in text or "在校学" in text for r in rows)


@pytest.mark.parametrize("repeat_header", [True, False])
def test_borderless_table_over_pages(repeat_header, standard, tmp_path):
    """Without a repeated header the next page's rows are read in the columns of the page before;
    nothing is lost and the totals row on the last page is checked against all rows."""
    many = [school(standard, f"第{i}小学", students=300 + 37 * i) for i in range(1, 60)]
    lay = renamed(borderless=True, font_size=9, totals=True, title="××县小学办学条件统计表",
                  repeat_header=repeat_header)
    spec = TableSpec.of(many, lay)
    path = write_pdf(tmp_path / "multi.pdf", spec, lay)
    doc = read_document(path, standard)
    assert doc.pages == 2 and doc.table is not None, doc.table_error
    assert list(doc.table.names) == [r["name"] for r in many] and doc.inconsistencies == ()
    provs = [doc.table.row_provenance(i, "students") for i in range(len(many))]
    assert {(p.page, p.table) for p in provs} == {(1, 1), (2, 2)}
    assert all(p.raw == str(r["students"]) for p, r in zip(provs, many))
    assert_same_evaluation(evaluate_file(path, standard),
                           evaluate_file(write_csv(tmp_path / "base.csv", spec), standard))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert NARRATIVE[3] in text and not any(r["name"] in text for r in many)


def test_ruled_table_is_still_found_by_its_lines(rows, tmp_path):
    lay = renamed()
    extract = _read_pdf(write_pdf(tmp_path / "ruled.pdf", TableSpec.of(rows, lay), lay))
    assert extract.grids and {g.strategy for g in extract.grids} == {"lines"}


PROSE = ["我县共有义务教育学校42所，在校学生3.2万人，专任教师2100人。",
         "全县学校均按标准配备体育、艺术教师，学生体质健康达标率逐年提高。",
         "一、学校布局：城区学校 6所，乡镇学校 36所。",
         "二、教师队伍：县级以上骨干教师 310人，占专任教师的 14.8%。",
         "三、学段分布：小学 30所，初中 12所。",
         "全县所有学校均未设置重点班。"]


def test_prose_page_yields_no_grid_and_keeps_its_paragraphs(tmp_path):
    path = narrative_pdf(tmp_path / "prose.pdf", PROSE)
    extract = _read_pdf(path)
    assert extract.grids == ()
    text = "".join(p.text for p in extract.paragraphs)
    for paragraph in PROSE:
        assert paragraph.replace(" ", "") in text.replace(" ", "")


def test_rejected_candidate_stays_narrative(tmp_path):
    """A borderless table without school-table header hints is not a table: its lines stay narrative."""
    from weasyprint import HTML
    budget = [("项目", "金额", "备注"), ("校舍维修", "120", "已完成"), ("设备购置", "80", "进行中"),
              ("图书购置", "30", "已完成")]
    table = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in budget)
    path = tmp_path / "budget.pdf"
    HTML(string=f"""<html><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 20mm }}
      body {{ font-family: 'AR PL UMing CN'; font-size: 12pt }} td {{ border: none; padding: 2pt 12pt }}
      </style></head><body><p>{NARRATIVE[1]}学校、学生、教师情况如下。</p><table>{table}</table>
      <p>{NARRATIVE[3]}</p></body></html>""").write_pdf(path)
    extract = _read_pdf(path)
    assert extract.grids == ()
    text = "".join(p.text for p in extract.paragraphs)
    assert NARRATIVE[1] in text and NARRATIVE[3] in text
    for cells in budget:
        assert all(c in text for c in cells)
