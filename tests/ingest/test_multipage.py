"""A table over several PDF pages: repeated headers, a row broken by the page boundary, totals."""

import pytest

from inspection.ingest import read_document
from tests.factories import school
from tests.ingest.factories import TableSpec, renamed, write_csv, write_docx, write_pdf
from tests.ingest.helpers import assert_same_evaluation, evaluate_file


@pytest.fixture(scope="module")
def many(standard):
    return [school(standard, f"第{i}小学", students=300 + 37 * i) for i in range(1, 60)]


@pytest.mark.parametrize("broken", [13, 20])
def test_row_broken_across_pages_is_rejoined(broken, many, standard, tmp_path):
    lay = renamed(long_name=broken, totals=True, title="××县小学办学条件统计表")
    spec = TableSpec.of(many, lay)
    pdf = write_pdf(tmp_path / "multi.pdf", spec, lay)
    doc = read_document(pdf, standard)
    assert doc.pages >= 4
    assert len(doc.table) == len(many) and doc.inconsistencies == ()
    long = next(i for i, n in enumerate(doc.table.names) if "校区" in n)
    assert doc.table.names[long] == f"第{broken + 1}小学" + "".join(f"（校区{k}）" for k in range(1, 13))
    prov = doc.table.row_provenance(long, "name")
    assert "拼接" in prov.note and prov.page >= 1
    pages = {doc.table.row_provenance(i, "students").page for i in range(len(many))}
    assert len(pages) >= 4
    want = evaluate_file(write_csv(tmp_path / "base.csv", spec), standard)
    assert_same_evaluation(evaluate_file(pdf, standard), want)


def test_totals_mismatch_is_reported_not_fatal(rows, standard, tmp_path):
    lay = renamed(totals=True)
    spec = TableSpec.of(rows, lay)
    totals = spec.body[-1]
    j = [i for i, c in enumerate(totals) if c and c[0] and c[0] != "合计"][0]
    spec.body[-1][j] = (str(int(float(totals[j][0])) + 100), 1, 1)
    doc = read_document(write_docx(tmp_path / "t.docx", spec), standard)
    assert len(doc.table) == len(rows)
    assert len(doc.inconsistencies) == 1
    assert "合计" in doc.inconsistencies[0].zh and "之和" in doc.inconsistencies[0].zh
