"""The cycle commands for scripted use: advance/decide/close-case directly, submit/verdict as flows."""

import json

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from tests.services.conftest import school_csv

runner = CliRunner()


def _ok(args):
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path):
    runner.invoke(app, ["init"])
    from inspection.db import repo, session_scope
    from inspection.services import make_context
    with session_scope() as s:
        repo.seed_schedule(s, schedule=make_context("t").schedule, actor="t")
    refused = runner.invoke(app, ["advance", "泽普县", "--to", "annual_monitoring", "--actor", "泽普县教育局",
                                  "--role", "county", "--as-of", "2022-06-30"])
    assert refused.exit_code == 1
    assert "错误：泽普县不能由“规划提交”转入“年度监测”：尚未提交本轮“经县委审核同意的优质均衡发展规划和年度计划”材料" \
        in refused.output and "Error: 泽普县 cannot move" in refused.output
    plan = tmp_path / "规划.txt"
    plan.write_text("泽普县优质均衡发展规划（经县委审核同意）", encoding="utf-8")
    stored = _ok(["submit", "泽普县", str(plan), "--kind", "development_plan", "--actor", "泽普县教育局",
                  "--as-of", "2022-06-30"])
    assert stored["submissions"][0]["created"] is True
    moved = _ok(["advance", "泽普县", "--to", "annual_monitoring", "--actor", "泽普县教育局", "--role", "county",
                 "--as-of", "2022-06-30"])
    assert moved == {"county": "泽普县", "stage": "annual_monitoring", "changed": True, "deadline": "2025-06-30"}
    assert _ok(["advance", "泽普县", "--to", "annual_monitoring", "--actor", "x", "--role", "county",
                "--as-of", "2022-06-30"])["changed"] is False


@pytest.mark.usefixtures("prefect_harness")
def test_submit_and_verdict_run_the_flows(tmp_path, standard):
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    table = school_csv(tmp_path / "泽普县2025.csv", standard, failing={0})
    out = _ok(["submit", "泽普县", str(table), "--actor", "泽普县教育局", "--as-of", "2025-05-10", "--year", "2025"])
    assert out["status"] == "queued" and out["evaluation"]["failing_schools"] == 1
    finding = runner.invoke(app, ["decide", "999", "--status", "resolved", "--actor", "委员甲", "--reason", "x"])
    assert finding.exit_code == 1 and "没有编号为999的问题" in finding.output
    verdict = _ok(["verdict", "泽普县", "--decision", "return", "--actor", "委员甲", "--reason", "1所学校未达标",
                   "--no-letter", "--as-of", "2025-07-15"])
    assert verdict["stage"] == "rectification" and verdict["document_number"] == "喀教督〔2025〕1号"
    swept = _ok(["sweep", "--as-of", "2026-01-01"])
    assert swept["actions"]["泽普县"] == ["overdue_rectification", "missed_recognition_year"]
    status = json.loads(runner.invoke(app, ["status", "--json", "--as-of", "2026-01-01"]).output)
    case = status[0]["open_cases"][0]
    assert _ok(["close-case", str(case["id"]), "--actor", "委员甲", "--reason", "整改到位",
                "--as-of", "2026-03-01"]) == {"case": case["id"], "closed": True}


@pytest.mark.usefixtures("prefect_harness")
def test_submit_refuses_unreadable_files_without_a_trace_and_the_county_is_not_blocked(tmp_path, standard, capfd):
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    good = school_csv(tmp_path / "泽普县2025.csv", standard)
    broken = tmp_path / "泽普县自评报告（盖章版）.pdf"
    broken.write_bytes(b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n")          # truncated: no %%EOF
    nul = tmp_path / "学校数据.xlsx"
    nul.write_bytes(bytes(range(256)) * 40)                                          # random bytes named .xlsx
    refused = runner.invoke(app, ["submit", "泽普县", str(good), str(broken), str(nul), "--actor", "泽普县教育局",
                                  "--as-of", "2025-05-10", "--year", "2025"])
    assert refused.exit_code == 2, refused.output
    assert "错误：泽普县自评报告（盖章版）.pdf 不完整" in refused.output and "Error: 泽普县自评报告（盖章版）.pdf" in refused.output
    assert "学校数据.xlsx" in refused.output and "阶段未变更" in refused.output
    captured = capfd.readouterr()
    assert "Traceback" not in refused.output + captured.out + captured.err
    from inspection.db import repo, session_scope
    from inspection.db.models import Submission
    from sqlmodel import select
    with session_scope() as s:
        assert repo.get_county(s, name="泽普县").stage == "annual_monitoring"
        statuses = {x.filename: x.status for x in s.exec(select(Submission).where(Submission.kind == "self_assessment"))}
        assert statuses[broken.name] == statuses[nul.name] == "rejected"
        assert not any(len(x.stored_path.encode()) > 255 for x in s.exec(select(Submission)))
    again = runner.invoke(app, ["submit", "泽普县", str(broken), "--actor", "泽普县教育局", "--as-of", "2025-05-10"])
    assert again.exit_code == 2 and "不完整" in again.output                        # the same file: the same answer
    out = _ok(["submit", "泽普县", str(good), "--actor", "泽普县教育局", "--as-of", "2025-05-11", "--year", "2025"])
    assert out["status"] == "queued"                                                 # the refused files did not block it


@pytest.mark.usefixtures("prefect_harness")
def test_every_hostile_file_is_refused_through_submit_as_through_evaluate(tmp_path, standard, capfd, monkeypatch):
    """The corpus of tests/ingest/test_bad_input.py through `submit` (the self-assessment flow): one
    refused round naming every file with the reason `evaluate` gives, exit 2, no trace, stage kept."""
    from tests.factories import school
    from tests.ingest.factories import Layout, TableSpec, write_csv, write_docx, write_pdf, write_xlsx
    from tests.ingest.test_bad_input import HOSTILE_ENV, KINDS, _bad
    for name, value in HOSTILE_ENV.items():     # bombs of 30 MB, tables past 1,000 rows: the corpus's limits
        monkeypatch.setenv(name, value)
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    spec = TableSpec.of([school(standard, f"第{k}小学") for k in range(3)], Layout())
    good = {"pdf": write_pdf(tmp_path / "t.pdf", spec, Layout()), "docx": write_docx(tmp_path / "t.docx", spec),
            "xlsx": write_xlsx(tmp_path / "t.xlsx", spec), "csv": write_csv(tmp_path / "t.csv", spec)}
    files = []
    for kind in KINDS:
        folder = tmp_path / kind
        folder.mkdir()
        path, _error, words = _bad(kind, good, folder)
        files.append((path, words))
        expected = runner.invoke(app, ["evaluate", str(path)])
        assert expected.exit_code == 2 and words in expected.output, (kind, expected.output)
    result = runner.invoke(app, ["submit", "泽普县", *(str(p) for p, _ in files), "--actor", "泽普县教育局",
                                 "--as-of", "2025-05-10"])
    assert result.exit_code == 2, result.output
    for path, words in files:
        assert path.name in result.output, path.name
    assert f"{len(files)}个文件无法读取" in result.output
    captured = capfd.readouterr()
    assert "Traceback" not in result.output + captured.out + captured.err
    from inspection.db import repo, session_scope
    with session_scope() as s:
        assert repo.get_county(s, name="泽普县").stage == "annual_monitoring"


@pytest.mark.usefixtures("prefect_harness")
def test_a_file_over_the_size_limit_is_refused_before_it_is_read_or_kept(tmp_path, capfd):
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    huge = tmp_path / "全县学校数据（扫描合订本）.pdf"
    with huge.open("wb") as fh:                 # 5 GB on paper, nothing on disk: never read whole
        fh.truncate(5 * 1024 ** 3)
    result = runner.invoke(app, ["submit", "泽普县", str(huge), "--actor", "泽普县教育局", "--as-of", "2025-05-10"])
    assert result.exit_code == 2, result.output
    assert "错误：全县学校数据（扫描合订本）.pdf 大小为 5120.0 MB，超过上限 50 MB" in result.output
    assert "Traceback" not in result.output + "".join(capfd.readouterr())
    from inspection.db import repo, session_scope
    from inspection.db.models import Submission
    from sqlmodel import select
    with session_scope() as s:
        assert s.exec(select(Submission).where(Submission.kind == "self_assessment")).all() == []
        assert repo.get_county(s, name="泽普县").stage == "annual_monitoring"


@pytest.mark.usefixtures("prefect_harness")
def test_submit_refuses_another_countys_table_until_confirmed_with_a_reason(tmp_path, standard, capfd):
    """The same rule as the web upload: 巴楚县's table sent as 泽普县's changes nothing until the
    county says why it is its own; the reason is kept where the committee sees it."""
    from tests.ui.conftest import csv_bytes
    test_advance_refuses_with_both_languages_and_moves_when_allowed(tmp_path)
    theirs = tmp_path / "学校数据表.csv"
    theirs.write_bytes(csv_bytes("巴楚县", n=4))
    refused = runner.invoke(app, ["submit", "泽普县", str(theirs), "--actor", "泽普县教育局", "--as-of", "2025-05-10",
                                  "--year", "2025"])
    assert refused.exit_code == 2, refused.output
    assert "错误：《学校数据表.csv》看起来是巴楚县的材料（4所学校中有4所校名含“巴楚县”），不是泽普县的" in refused.output
    assert "Error: 学校数据表.csv looks like 巴楚县's" in refused.output and "阶段未变更" in refused.output
    assert "Traceback" not in refused.output + "".join(capfd.readouterr())
    from inspection.db import repo, session_scope
    with session_scope() as s:
        assert repo.get_county(s, name="泽普县").stage == "annual_monitoring"
        assert not repo.latest_school_tables(s, county_ids=[repo.get_county(s, name="泽普县").id], year=2025)
    out = _ok(["submit", "泽普县", str(theirs), "--actor", "泽普县教育局", "--as-of", "2025-05-10", "--year", "2025",
               "--confirm-county", "两校由巴楚县划入，校名暂未更改"])
    assert out["status"] == "queued" and sum(out["rows"].values()) == 4
    from inspection.db.models import Submission
    with session_scope() as s:
        sub = s.get(Submission, out["submissions"][0]["submission_id"])
        assert sub.reading["county_confirmed"]["reason"] == "两校由巴楚县划入，校名暂未更改"
        assert any("可能属于巴楚县" in w for w in sub.reading["warnings"])
