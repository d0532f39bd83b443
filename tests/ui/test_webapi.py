"""The UI's service facade: every call checks role and county on the server."""

import pytest

from inspection import webapi
from inspection.access import Principal
from inspection.db import audit, session_scope
from inspection.errors import AccessDenied, InspectionError, ReadError
from tests.ui.conftest import YEAR, csv_bytes


def test_dashboard_for_committee_has_drafts_and_observer_has_none(committee, observer):
    full = webapi.dashboard(committee)
    assert len(full.rows) == 12 and full.show_drafts
    assert {c["county"] for c in full.heatmap} == {"泽普县", "巴楚县"}
    assert full.open_cases == 0
    seen = webapi.dashboard(observer)
    assert not seen.show_drafts
    assert all(r["draft_outcome"] is None for r in seen.rows)
    assert all("outcome" not in (r["latest_evaluation"] or {}) for r in seen.rows)


def test_county_user_cannot_reach_another_county_by_any_call(zepu, bachu):
    bachu_id = bachu.county_id
    calls = [lambda: webapi.county_summary(zepu, "巴楚县"), lambda: webapi.county_summary(zepu, bachu_id),
             lambda: webapi.evaluation_view(zepu, "巴楚县"), lambda: webapi.list_submissions(zepu, bachu_id),
             lambda: webapi.upload(zepu, "巴楚县", filename="t.csv", data=csv_bytes("巴楚县")),
             lambda: webapi.figure_source(zepu, "巴楚县", year=YEAR, school="x", stage="primary", field="students"),
             lambda: webapi.correct_figure(zepu, "巴楚县", year=YEAR, school="x", stage="primary",
                                           field="students", value=1, reason="试图修改"),
             lambda: webapi.record_verdict(zepu, "巴楚县", decision="approve", reason=""),
             lambda: webapi.dashboard(zepu), lambda: webapi.review_queue(zepu),
             lambda: webapi.county_letter(zepu, "巴楚县"), lambda: webapi.letters_for(zepu, "巴楚县"),
             lambda: webapi.submit_for_review(zepu, "巴楚县"), lambda: webapi.list_cases(zepu, "巴楚县"),
             lambda: webapi.list_cases(Principal("zepu", "committee"))]
    for call in calls:
        with pytest.raises(AccessDenied):
            call()


def test_forged_principal_gains_nothing(ui_db, zepu, bachu):
    """Role and county come from the database, not from what the session holds."""
    forged = Principal("zepu", "committee", county_id=bachu.county_id, county_name="巴楚县")
    with pytest.raises(AccessDenied):
        webapi.dashboard(forged)
    with pytest.raises(AccessDenied):
        webapi.evaluation_view(forged, "巴楚县")
    assert webapi.county_summary(forged)["name"] == "泽普县"
    with pytest.raises(AccessDenied, match="重新登录"):
        webapi.dashboard(Principal("ghost", "committee"))


def test_submission_ids_of_another_county_are_refused(zepu, bachu):
    mine = webapi.upload(bachu, filename="b.csv", data=csv_bytes("巴楚县"))
    for call in (webapi.submission_detail, webapi.stored_file, webapi.read):
        with pytest.raises(AccessDenied) as other:
            call(zepu, mine["id"])
        with pytest.raises(AccessDenied) as missing:
            call(zepu, 999_999)
        assert other.value.zh == missing.value.zh == "没有找到这份材料。"      # nothing tells which ids exist


def test_upload_keeps_file_and_reads_it_through_the_services(zepu):
    data = csv_bytes()
    steps = []
    got = webapi.upload(zepu, filename="泽普县学校数据表.csv", data=data, progress=lambda f, m: steps.append(f))
    assert got["status"] == "ingested" and not got["duplicate"] and len(got["rows"]) == 4
    assert steps[0] < steps[-1] == 1.0
    assert webapi.stored_file(zepu, got["id"]) == ("泽普县学校数据表.csv", data)
    assert webapi.upload(zepu, filename="again.csv", data=data)["duplicate"] is True
    with session_scope() as s:
        from sqlmodel import select

        from inspection.db.models import AuditEvent
        actions = [e.action for e in s.exec(select(AuditEvent).where(AuditEvent.entity == "submission"))]
        assert actions[:2] == ["submission.upload", "submission.ingest"]
        assert audit.verify_chain(s).ok


def test_unreadable_oversized_and_wrong_type_files_get_chinese_messages(zepu):
    bad = webapi.upload(zepu, filename="坏表.csv", data="学校名称,学段\n一小,小学\n".encode())
    assert bad["status"] == "rejected" and "坏表.csv" in bad["error"] and bad["problems"] == [bad["error"]]
    with pytest.raises(ReadError, match="单个文件不能超过 50 MB"):
        webapi.upload(zepu, filename="big.csv", data=b"x" * (50 * 1024 * 1024 + 1))
    with pytest.raises(ReadError, match="virus.exe：不支持“.exe”文件"):
        webapi.upload(zepu, filename="virus.exe", data=b"MZ")
    with pytest.raises(ReadError, match="empty.csv 是空文件"):
        webapi.upload(zepu, filename="empty.csv", data=b"")


def _submitted_round(county_user, county: str) -> dict:
    sub = webapi.upload(county_user, filename=f"{county}.csv", data=csv_bytes(county, n=3))
    first = sub["rows"][0]
    webapi.correct_figure(county_user, None, year=sub["year"], school=first["school"], stage=first["stage"],
                          field="students", value=999, reason="原表录入错误")
    done = webapi.submit_for_review(county_user)
    assert done["stage"] == "prefecture_evaluation"
    return sub


def test_county_submits_and_the_committee_sees_the_round(zepu, committee):
    sub = _submitted_round(zepu, "泽普县")
    view = webapi.evaluation_view(committee, "泽普县")
    assert len(view["rows"]) == 3 and view["rows"][0]["figures"]["students"] == 999
    assert [q["id"] for q in webapi.review_queue(committee)] == [sub["id"]]
    first = sub["rows"][0]
    with pytest.raises(InspectionError, match="不能再修改"):
        webapi.correct_figure(zepu, None, year=sub["year"], school=first["school"], stage=first["stage"],
                              field="students", value=5, reason="再改一次")
    src = webapi.figure_source(committee, "泽普县", year=YEAR, school=first["school"], stage=first["stage"],
                               field="classes")
    assert src["file"] == "泽普县.csv" and src["row"] == 2 and src["column"] == "班级数"
    corrected = webapi.figure_source(committee, "泽普县", year=YEAR, school=first["school"], stage=first["stage"],
                                     field="students")
    assert corrected["corrections"][0]["reason"] == "原表录入错误" and corrected["raw"] != "999"


def test_committee_corrects_decides_vetoes_records_verdict_and_gets_the_letter(bachu, committee, zepu):
    _submitted_round(bachu, "巴楚县")
    view = webapi.evaluation_view(committee, "巴楚县")
    row = view["rows"][0]
    with pytest.raises(InspectionError, match="请填写理由"):
        webapi.correct_figure(committee, "巴楚县", year=YEAR, school=row["school"], stage=row["stage"],
                              field="sports_area", value=1, reason=" ")
    webapi.correct_figure(committee, "巴楚县", year=YEAR, school=row["school"], stage=row["stage"],
                          field="sports_area", value=row["figures"]["sports_area"] * 2, reason="现场核查更正")
    with pytest.raises(InspectionError):
        webapi.record_verdict(committee, "巴楚县", decision="return", reason="")
    verdict = webapi.record_verdict(committee, "巴楚县", decision="return", reason="资源配置未达标，限期整改")
    assert verdict["document_number"].startswith("喀教督〔") and verdict["stage"] == "rectification"
    assert webapi.county_summary(bachu)["recorded"]["decision"] == "return"
    assert [x["document_number"] for x in webapi.letters_for(bachu)] == [verdict["document_number"]]
    with pytest.raises(AccessDenied):
        webapi.letters_for(zepu, "巴楚县")


def test_a_verdicts_letter_in_pdf_and_docx_is_one_document_of_the_register(bachu, committee):
    """Both formats carry the register's number and date and the same deadlines, however often they
    are downloaded; the register holds one row for the verdict."""
    import io
    import re

    import docx
    import pdfplumber
    _submitted_round(bachu, "巴楚县")
    verdict = webapi.record_verdict(committee, "巴楚县", decision="return", reason="资源配置未达标，限期整改")
    [entry] = [r for r in webapi.document_register(committee) if r["kind"] == "verdict"]
    assert entry["number"] == verdict["document_number"]

    def said(letter) -> str:
        if letter["filename"].endswith(".pdf"):
            with pdfplumber.open(io.BytesIO(letter["data"])) as pdf:
                return "".join((page.extract_text() or "") for page in pdf.pages).replace("\n", "").replace(" ", "")
        document = docx.Document(io.BytesIO(letter["data"]))
        cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
        return "".join([p.text for p in document.paragraphs] + cells).replace(" ", "")

    texts = [said(webapi.county_letter(bachu, None, fmt)) for fmt in ("pdf", "docx", "docx", "pdf")]
    dates = [sorted(set(re.findall(r"20\d\d年\d{1,2}月\d{1,2}日", t))) for t in texts]
    issued = f"{entry['issued_on'].year}年{entry['issued_on'].month}月{entry['issued_on'].day}日"
    assert all(entry["number"] in t for t in texts) and all(issued in d for d in dates)
    assert dates[0] == dates[1] == dates[2] == dates[3] and len(dates[0]) >= 2   # 成文日期 and the deadlines
    assert [r["number"] for r in webapi.document_register(committee)].count(entry["number"]) == 1


def test_veto_findings_are_decided_by_the_committee_only(committee, bachu):
    view = webapi.evaluation_view(committee, "巴楚县")
    veto = next(f for f in view["findings"] if f["kind"] == "veto")
    with pytest.raises(AccessDenied):
        webapi.decide_finding(bachu, veto["id"], decision="dismissed", reason="本县认为不成立")
    with pytest.raises(InspectionError, match="请填写理由"):
        webapi.decide_finding(committee, veto["id"], decision="confirmed", reason="")
    webapi.decide_finding(committee, veto["id"], decision="confirmed", reason="核实有实验班")
    again = webapi.evaluation_view(committee, "巴楚县")
    assert next(f for f in again["findings"] if f["id"] == veto["id"])["status"] == "confirmed"


def test_a_county_sees_no_draft_letter_before_a_verdict(zepu):
    with pytest.raises(AccessDenied):
        webapi.county_letter(zepu, None, "pdf")


def test_blank_forms_for_everyone(observer):
    import io

    import docx
    from openpyxl import load_workbook
    forms = webapi.blank_forms(observer)
    assert [f["filename"] for f in forms] == ["学校数据表.xlsx", "学校数据表.csv", "县级自评报告提纲.docx"]
    assert load_workbook(io.BytesIO(forms[0]["data"])).sheetnames == ["学校数据", "填表说明", "县级指标"]
    assert forms[1]["data"].decode("utf-8-sig").startswith("学校名称,学段,在校学生数")
    outline = docx.Document(io.BytesIO(forms[2]["data"]))
    assert any("否决情形说明" in p.text for p in outline.paragraphs)


def test_upload_limit_matches_streamlit_config():
    import tomllib
    from pathlib import Path
    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit/config.toml").read_text())
    assert config["server"]["maxUploadSize"] == webapi.MAX_UPLOAD_MB
    assert config["client"]["showErrorDetails"] == "none"


def test_a_stored_original_is_checked_on_every_read_and_the_data_folder_may_move(zepu, committee, ui_db,
                                                                                 monkeypatch, tmp_path):
    import shutil

    from inspection.db import get_engine
    sub = webapi.upload(zepu, filename="泽普县.csv", data=csv_bytes("泽普县", n=3))
    name, data = webapi.stored_file(committee, sub["id"])
    assert name == "泽普县.csv" and data == csv_bytes("泽普县", n=3)
    moved = tmp_path / "moved"                   # the data folder moves: downloads still work
    shutil.copytree(ui_db, moved)
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(moved))
    get_engine.cache_clear()
    assert webapi.stored_file(committee, sub["id"])[1] == data
    stored = next((moved / "submissions").rglob("*.csv"))
    stored.write_bytes(data.replace(b"1", b"9", 1))     # someone edits the kept original
    with pytest.raises(InspectionError, match="存档文件已被改动"):
        webapi.stored_file(committee, sub["id"])
    first = sub["rows"][0]
    src = webapi.figure_source(committee, "泽普县", year=YEAR, school=first["school"], stage=first["stage"],
                               field="students")
    assert "存档文件已被改动" in src["source_error"] and "row" not in src


def test_the_ledger_download_is_one_xlsx(committee):
    import io

    import openpyxl
    got = webapi.prefecture_report(committee, "xlsx")
    assert got["filename"].endswith("已达标和未达标台账.xlsx") and got["mime"].endswith("spreadsheetml.sheet")
    assert openpyxl.load_workbook(io.BytesIO(got["data"])).sheetnames[:2] == ["已达标台账汇总", "未达标台账汇总"]


def test_a_pdf_with_javascript_or_an_embedded_file_is_flagged_to_the_committee(zepu, committee, tmp_path):
    from tests.ingest import badfiles
    path = badfiles.active_pdf(tmp_path / "自评报告.pdf")
    sub = webapi.upload(zepu, filename=path.name, data=path.read_bytes())
    detail = webapi.submission_detail(committee, sub["id"])
    assert any("JavaScript脚本" in p and "嵌入文件" in p for p in detail["problems"])
    name, data = webapi.stored_file(committee, sub["id"])
    assert data == path.read_bytes()          # kept as sent (hashed); the page offers it as a download only


def test_a_round_submitted_elsewhere_right_now_is_told_on_the_web_and_nothing_is_stored(zepu):
    """The county's round lease held by a `submit` running elsewhere (a live process): the web
    upload and the web submission are refused with who holds it, and store nothing."""
    from sqlmodel import func, select

    from inspection.db import repo
    from inspection.db.models import Submission
    from inspection.errors import BusyError
    from inspection.services import leases
    with session_scope() as s:
        token = leases.take(s, county=repo.get_county(s, name="泽普县"), holder="泽普县教育局（命令行）")
    for call in (lambda: webapi.upload(zepu, filename="t.csv", data=csv_bytes()), lambda: webapi.submit_for_review(zepu)):
        with pytest.raises(BusyError, match="（命令行）于") as err:
            call()
        assert err.value.exit_code == 75
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(Submission)).one() == 0
        leases.give_back(s, county=repo.get_county(s, name="泽普县"), token=token)
    assert webapi.upload(zepu, filename="t.csv", data=csv_bytes())["status"] == "ingested"


def test_an_issued_report_keeps_its_number_and_is_in_the_register(committee, zepu):
    import io

    import docx
    import openpyxl
    draft = webapi.prefecture_report(committee, "docx")
    assert draft["filename"].endswith("（草稿）.docx") and webapi.document_register(committee) == []
    first = webapi.prefecture_report(committee, "docx", official=True)
    again = webapi.prefecture_report(committee, "pdf", official=True)
    number = first["filename"].split("（")[1].split("）")[0]
    assert number.startswith("喀教督〔") and again["filename"].endswith(f"（{number}）.pdf")
    assert number in "\n".join(p.text for p in docx.Document(io.BytesIO(first["data"])).paragraphs)
    [row] = webapi.document_register(committee)
    assert row["number"] == number and row["kind_zh"] == "监测报告" and row["date_zh"].endswith("日")
    sheet = openpyxl.load_workbook(io.BytesIO(webapi.register_workbook(committee)["data"]))["发文登记簿"]
    assert sheet["A3"].value == number and sheet["E3"].value == "监测报告"
    with pytest.raises(AccessDenied):
        webapi.document_register(zepu)


def test_a_submitted_pdf_page_is_shown_and_a_missing_page_said_plainly(zepu, committee, tmp_path):
    from tests.ui.browser import self_assessment_pdf
    pdf = self_assessment_pdf(tmp_path / "泽普县自评报告.pdf", n=3)
    sub = webapi.upload(zepu, filename=pdf.name, data=pdf.read_bytes())
    assert webapi.document_page(committee, sub["id"], 1)[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(InspectionError, match="没有第99页"):
        webapi.document_page(committee, sub["id"], 99)
