"""Files made by LibreOffice (committed; regenerate with fixtures/make_fixtures.py) read like ours."""

import json
from pathlib import Path

import pytest

from inspection.ingest import read_document
from tests.ingest.helpers import assert_same_evaluation, evaluate_file

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(p for p in FIXTURES.iterdir() if p.suffix in (".pdf", ".docx", ".xlsx"))


def test_fixtures_are_present():
    assert {p.name for p in FILES} >= {"lo-writer.pdf", "lo-multipage.pdf", "lo-writer.docx", "lo-calc.xlsx"}


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_libreoffice_output_evaluates_like_the_csv(path, standard):
    golden = json.loads(path.with_name(path.name + ".expected.json").read_text(encoding="utf-8"))
    assert_same_evaluation(evaluate_file(path, standard), golden)


def test_libreoffice_multipage_pdf_keeps_pages_and_rejoins_the_broken_row(standard):
    doc = read_document(FIXTURES / "lo-multipage.pdf", standard)
    pages = {doc.table.row_provenance(i, "students").page for i in range(len(doc.table))}
    assert len(pages) >= 2 and doc.inconsistencies == ()
    assert any("校区12" in n for n in doc.table.names)
