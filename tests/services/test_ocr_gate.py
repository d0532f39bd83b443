"""The verdict gate for a scanned submission: no verdict rests on an OCR figure nobody confirmed.

A county sends its school table as a scanned, stamped PDF; the round is read by OCR and evaluated;
the committee's verdict is refused while figures wait (待人工核对); each is confirmed or corrected
through the figure-correction path with a reason (a misread school name through
`correct_school_name`); afterwards the stored figures evaluate as the original table does.
"""

import shutil
from datetime import date

import pytest

from inspection import webapi
from inspection.access import Principal
from inspection.columns import NUMERIC_FIELDS
from inspection.db import repo, session_scope
from inspection.db.models import User
from inspection.errors import InspectionError, StageError
from inspection.evaluation import evaluation_json
from inspection.ingest import read_document
from inspection.rules import evaluate_resources
from inspection.services import record_verdict
from tests.factories import school
from tests.ingest.factories import Layout, TableSpec, write_pdf
from tests.ingest.scans import scan_pdf
from tests.services.conftest import COMMITTEE, county, ctx, self_assess

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
WEIYUAN = Principal("weiyuan", "committee")


def _by_school(result: dict) -> dict:
    return {(s["name"], s["stage"]): (s["students"], s["met"], s["passed"],
                                      {k: round(v, 6) for k, v in s["indicators"].items() if v is not None})
            for s in result["schools"]}


def _verdict(db):
    with session_scope(db) as s:
        record_verdict(s, ctx(date(2025, 7, 15)), county=county(s), decision="approve", actor=COMMITTEE,
                       reason="各项指标达到要求")


def test_a_scan_waits_for_confirmation_and_then_evaluates_as_the_original(db, tmp_path, standard):
    from tests.services.test_cycle_services import _plan
    rows = [school(standard, f"第{i}小学", students=300 + 37 * i) for i in range(1, 6)]
    rows += [school(standard, f"第{i}中学", "junior", students=500 + 11 * i) for i in range(1, 4)]
    layout = Layout(totals=True)
    pdf = write_pdf(tmp_path / "自评表.pdf", TableSpec.of(rows, layout), layout)
    original = read_document(pdf, standard).table
    scan = scan_pdf(pdf, tmp_path / "自评表（盖章扫描）.pdf", seed=3)
    _plan(db, tmp_path)
    with session_scope(db) as s:
        s.add(User(username="weiyuan", display_name="委员", role="committee", password_hash="x"))
    self_assess(db, date(2025, 5, 10), scan)

    waiting = webapi.ocr_to_confirm(WEIYUAN, "泽普县")
    assert waiting and all(w["box"] and w["page"] == 1 and w["reasons"] for w in waiting)
    png = webapi.ocr_cell_image(WEIYUAN, waiting[0]["submission_id"], page=1, box=waiting[0]["box"])
    assert png.startswith(b"\x89PNG")              # the scanned cell, for the review page beside the figure
    with pytest.raises(StageError, match="待人工核对") as refused:
        _verdict(db)
    assert refused.value.details["why"] == "unconfirmed_ocr"

    truth = {original.row_provenance(i, "name").row: i for i in range(len(original))}
    renamed = {}
    names = [w for w in waiting if w["field"] == "name"]
    for _ in range(len(names) + 1):    # names first, as a reviewer would; one taken by another misread waits
        for w in [w for w in names if (w["school"], w["stage"]) not in renamed]:
            try:
                webapi.correct_school_name(WEIYUAN, "泽普县", year=2025, school=w["school"], stage=w["stage"],
                                           name=original.names[truth[w["row"]]], reason="对照扫描件核对校名")
            except InspectionError as exc:
                assert "已有" in exc.zh
                continue
            renamed[(w["school"], w["stage"])] = original.names[truth[w["row"]]]
    assert len(renamed) == len(names)
    restaged = {}
    for w in waiting:
        if w["field"] == "stage":
            i, name = truth[w["row"]], renamed.get((w["school"], w["stage"]), w["school"])
            webapi.correct_school_stage(WEIYUAN, "泽普县", year=2025, school=name, stage=w["stage"],
                                        new_stage=str(original.stages[i]), reason="对照扫描件核对学段")
            restaged[(w["school"], w["stage"])] = str(original.stages[i])
    for w in waiting:
        if w["field"] not in ("name", "stage"):
            i, name = truth[w["row"]], renamed.get((w["school"], w["stage"]), w["school"])
            stage = restaged.get((w["school"], w["stage"]), w["stage"])
            webapi.correct_figure(WEIYUAN, "泽普县", year=2025, school=name, stage=stage, field=w["field"],
                                  value=float(original.figures[w["field"]][i]), reason="对照扫描件核对")
    assert webapi.ocr_to_confirm(WEIYUAN, "泽普县") == []
    try:
        _verdict(db)
    except StageError as exc:          # other conditions (judged indicators) may still hold it back
        assert exc.details.get("why") != "unconfirmed_ocr"

    with session_scope(db) as s:
        stored = repo.load_school_table(s, county=county(s), year=2025)
    want = evaluation_json(evaluate_resources(original, standard))
    got = evaluation_json(evaluate_resources(stored, standard))
    assert _by_school(got) == _by_school(want)
    assert got["resource_passed"] == want["resource_passed"]
    for stage, cv in want["cv"].items():
        assert got["cv"][stage] == pytest.approx(cv, rel=1e-9)
    assert set(NUMERIC_FIELDS) >= {w["field"] for w in waiting} - {"name", "stage"}
