"""Scanned, stamped tables read by OCR (扫描件识别): every figure read exactly or flagged (待人工核对).

The scans are made from the project's own table PDFs (`tests.ingest.scans`: 200 dpi, tilted ±1.5°,
noise, a red seal multiplied over the table) and read by the real Tesseract in the sandbox.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from inspection.columns import NUMERIC_FIELDS
from inspection.evaluation import evaluation_json
from inspection.ingest import read_document
from inspection.rules import evaluate_resources
from tests.ingest.factories import Layout, TableSpec, renamed, write_pdf
from tests.ingest.helpers import assert_same_evaluation
from tests.ingest.scans import scan_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")

LAYOUTS = {"canonical": Layout(totals=True), "renamed": renamed(totals=True, font_size=12)}


@pytest.fixture(scope="module", params=sorted(LAYOUTS))
def scanned(request, rows, standard, tmp_path_factory):
    """(original document, scan document, scan path) for one layout."""
    layout = LAYOUTS[request.param]
    folder = tmp_path_factory.mktemp(f"ocr-{request.param}")
    pdf = write_pdf(folder / "table.pdf", TableSpec.of(rows, layout), layout)
    scan = scan_pdf(pdf, folder / "scan.pdf", angle=1.5 if request.param == "canonical" else -1.5, seed=7)
    return read_document(pdf, standard), read_document(scan, standard), scan


def _flagged(doc) -> set[tuple[int, str]]:
    rows = {(n, s): i for i, (n, s) in enumerate(zip(doc.table.names, map(str, doc.table.stages)))}
    return {(rows[(c.school, c.stage)], c.field) for c in doc.to_confirm}


def test_scan_is_read_as_a_table_with_box_and_confidence(scanned):
    original, scan, _ = scanned
    assert len(scan.table) == len(original.table)
    prov = scan.table.row_provenance(0, "students")
    assert prov.page == 1 and prov.confidence is not None and "OCR" in prov.note
    x0, top, x1, bottom = prov.box
    assert 0 <= x0 < x1 <= 842 and 0 <= top < bottom <= 596       # A4 landscape, in points
    assert any("扫描件" in w for w in scan.warnings)


def test_every_figure_is_read_exactly_or_flagged(scanned):
    """None is read wrong without a flag: the contract of the 待人工核对 list."""
    original, scan, _ = scanned
    flagged = _flagged(scan)
    wrong, exact = [], 0
    for i in range(len(original.table)):
        if scan.table.names[i] != original.table.names[i] and (i, "name") not in flagged:
            wrong.append((i, "name", scan.table.names[i]))
        if scan.table.stages[i] != original.table.stages[i] and (i, "stage") not in flagged:
            wrong.append((i, "stage", scan.table.stages[i]))
        for f in NUMERIC_FIELDS:
            a, b = float(scan.table.figures[f][i]), float(original.table.figures[f][i])
            same = (np.isnan(a) and np.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))
            exact += same
            if not same and (i, f) not in flagged:
                wrong.append((i, f, scan.table.row_provenance(i, f).raw, b))
    assert wrong == []
    assert exact >= 0.7 * len(original.table) * len(NUMERIC_FIELDS)   # most are read right


def _confirmed(scan, original):
    """The scan's table after a person confirmed (or corrected) each flagged figure from the paper."""
    figures = {f: np.array(scan.table.figures[f], copy=True) for f in scan.table.figures}
    names, stages = list(scan.table.names), np.array(scan.table.stages, copy=True)
    for i, field in _flagged(scan):
        if field == "name":
            names[i] = original.table.names[i]
        elif field == "stage":
            stages[i] = original.table.stages[i]
        else:
            figures[field][i] = original.table.figures[field][i]
    return replace(scan.table, names=tuple(names), stages=stages, figures=figures)


def test_after_confirmation_the_evaluation_equals_the_original(scanned, standard):
    original, scan, _ = scanned
    want = evaluation_json(evaluate_resources(original.table, standard))
    got = evaluation_json(evaluate_resources(_confirmed(scan, original), standard))
    assert_same_evaluation(got, want)


def test_cli_lists_the_cells_to_confirm_and_never_evaluates_them(scanned):
    _, scan, path = scanned
    assert scan.to_confirm, "these scans always leave some figure to confirm"
    proc = subprocess.run([sys.executable, "-c", "from inspection.cli import main; main()", "evaluate",
                           str(path), "--json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert "待人工核对" in proc.stderr and "must be confirmed" in proc.stderr
    first = scan.to_confirm[0]
    assert f"第{first.page}页第{first.row}行 {first.school}" in proc.stderr and first.header in proc.stderr


def test_progress_is_reported_page_by_page(rows, standard, tmp_path):
    """The web upload's progress bar hears of every scanned page as it is read (in the sandbox)."""
    from inspection.ingest.pdf_reader import OCR_PROGRESS
    layout = Layout(totals=True)
    scan = scan_pdf(write_pdf(tmp_path / "t.pdf", TableSpec.of(rows, layout), layout), tmp_path / "s.pdf", seed=2)
    heard = []
    token = OCR_PROGRESS.set(lambda done, total: heard.append((done, total)))
    try:
        read_document(scan, standard)
    finally:
        OCR_PROGRESS.reset(token)
    assert heard == [(1, 1)]


def test_a_scanned_header_without_its_unit_takes_the_forms_and_every_figure_is_to_confirm(rows, standard, tmp_path):
    """教学仪器设备值 headed without its unit — on the paper, or lost to OCR, as a straight scan lost
    "（万元）" — is read in the form's unit (万元) instead of refusing the whole table, and each of
    its figures waits for a person; the same table as text is still refused."""
    layout = Layout(totals=True, equipment_unit="")
    pdf = write_pdf(tmp_path / "table.pdf", TableSpec.of(rows, layout), layout)
    assert "没有注明单位" in str(read_document(pdf, standard).table_error)
    scan = read_document(scan_pdf(pdf, tmp_path / "scan.pdf", angle=0.5, seed=7), standard)
    assert scan.table is not None and len(scan.table) == len(rows), scan.table_error
    unit = [c for c in scan.to_confirm if "unit" in c.reasons]
    assert len(unit) == len(rows) and {c.field for c in unit} == {"equipment_value"}
    assert "表头单位未能识别" in unit[0].describe()
