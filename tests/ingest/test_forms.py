"""The blank forms in forms/ are what the code generates, and a filled copy reads back."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.forms import DOCX_NAME, XLSX_NAME
from inspection.ingest import read_document
from inspection.ingest.scan import scan_documents
from tests.ingest.factories import FIELDS, cell_values
from tests.ingest.helpers import assert_same_evaluation, evaluate_file

FORMS = Path(__file__).resolve().parents[2] / "forms"


def workbook_structure(path: Path) -> dict:
    import openpyxl
    book = openpyxl.load_workbook(path)
    return {sheet.title: {
        "cells": [list(r) for r in sheet.iter_rows(values_only=True)],
        "validations": sorted((str(dv.sqref), dv.type, dv.operator, dv.formula1)
                              for dv in sheet.data_validations.dataValidation),
        "freeze": sheet.freeze_panes} for sheet in book.worksheets}


def outline_structure(path: Path) -> dict:
    import docx
    document = docx.Document(path)
    return {"paragraphs": [(p.style.name, p.text) for p in document.paragraphs],
            "tables": [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]}


@pytest.fixture(scope="module")
def generated(tmp_path_factory, standard):
    out = tmp_path_factory.mktemp("forms")
    result = CliRunner().invoke(app, ["forms", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_committed_forms_match_the_generator(generated):
    assert workbook_structure(FORMS / XLSX_NAME) == workbook_structure(generated / XLSX_NAME)
    assert outline_structure(FORMS / DOCX_NAME) == outline_structure(generated / DOCX_NAME)


def test_workbook_has_canonical_columns_validation_and_instructions(generated, standard):
    s = workbook_structure(generated / XLSX_NAME)
    assert list(s) == ["学校数据", "填表说明", "县级指标"]
    from inspection.columns import canonical_columns
    assert s["学校数据"]["cells"][0] == [c.header for c in canonical_columns()]
    assert ("B2:B501", "list", None, '"小学,初中"') in s["学校数据"]["validations"]
    assert any("R1" in str(row) for row in s["填表说明"]["cells"])


def test_outline_names_every_indicator_and_veto_and_declares_nothing(generated, standard):
    s = outline_structure(generated / DOCX_NAME)
    text = "\n".join(t for _, t in s["paragraphs"])
    assert all(i.wording in text for i in standard.indicators)
    assert all(v.wording in text for v in standard.vetoes)
    doc = read_document(generated / DOCX_NAME, standard)
    assert scan_documents([doc]).findings == []


def test_filled_workbook_round_trips(generated, rows, baseline, standard, tmp_path):
    import openpyxl
    book = openpyxl.load_workbook(generated / XLSX_NAME)
    sheet = book["学校数据"]
    for i, row in enumerate(rows, start=2):
        values = cell_values(row, __import__("tests.ingest.factories", fromlist=["Layout"]).Layout())
        for j, f in enumerate(FIELDS, start=1):
            text = values[f]
            sheet.cell(i, j, text if f in ("name", "stage") else float(text))
    book.save(tmp_path / "filled.xlsx")
    assert_same_evaluation(evaluate_file(tmp_path / "filled.xlsx", standard), baseline)


def test_filled_outline_round_trips(generated, rows, baseline, standard, tmp_path):
    import docx
    from tests.ingest.helpers import fill_school_table
    document = docx.Document(generated / DOCX_NAME)
    fill_school_table(document.tables[0], rows)
    document.save(tmp_path / "filled.docx")
    assert_same_evaluation(evaluate_file(tmp_path / "filled.docx", standard), baseline)
