import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.cycle import load_cycle
from tests.factories import school, write_csv

runner = CliRunner()


def test_evaluate_json_has_the_contract_shape(tmp_path, standard):
    rows = [school(standard, "一小", students=500, ratios={"R5": 0.8}),
            school(standard, "一中", "junior", students=400)]
    path = write_csv(tmp_path / "t.csv", rows)
    result = runner.invoke(app, ["evaluate", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    contract = {"schools", "cv", "resource_passed", "county_indicators", "outcome", "pending"}
    assert contract <= set(data)
    assert data["outcome"] == "not_met" and "Q1" in data["pending"]
    assert set(data["county_indicators"]["Q1"]) >= {"value", "met", "source"}
    assert set(data["schools"][0]) == {"name", "stage", "students", "indicators", "met", "passed"}
    first = data["schools"][0]
    assert first["name"] == "一小" and first["stage"] == "primary" and first["students"] == 500
    assert list(first["indicators"]) == [f"R{k}" for k in range(1, 8)]
    assert first["indicators"]["R5"] == 6.0 and "R5" not in first["met"] and first["passed"] is False
    assert data["schools"][1]["stage"] == "junior" and data["schools"][1]["passed"] is True
    assert set(data["cv"]) == {"primary", "junior"} and set(data["cv"]["junior"]) == set(first["indicators"])
    assert data["resource_passed"] is False


def test_evaluate_text_marks_failures_in_chinese(tmp_path, standard):
    path = write_csv(tmp_path / "t.csv", [school(standard, "二小", ratios={"R5": 0.5})])
    result = runner.invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 0
    assert "学校名称" in result.output and "3.75✗" in result.output
    assert "✗ 二小（小学）" in result.output and "资源配置结论：未达标" in result.output
    assert "评估结论：未达到优质均衡标准" in result.output and "待核实指标：G1" in result.output


def test_evaluate_text_and_json_agree_on_a_cv_exactly_at_its_limit(tmp_path, standard):
    """Two equal-size schools at x and 3x: weighted mean 2x, S = x, CV exactly 0.50 (within)."""
    a = school(standard, "甲小", students=1000)
    b = school(standard, "乙小", students=1000)
    a["sports_area"], b["sports_area"] = 7500.0 * 1.2, 7500.0 * 3.6
    path = write_csv(tmp_path / "cv.csv", [a, b])
    data = json.loads(runner.invoke(app, ["evaluate", str(path), "--json"]).output)
    assert data["cv"]["primary"]["R5"] == 0.5 and data["resource_passed"] is True
    text = runner.invoke(app, ["evaluate", str(path)]).output
    assert "R5 0.500\t" in text and "R5 0.500✗" not in text


def test_unreadable_table_exits_2_naming_file_row_column(tmp_path, standard):
    path = write_csv(tmp_path / "bad.csv", [school(standard, "一小")])
    path.write_text(path.read_text(encoding="utf-8").replace("一小,小学,1000", "一小,小学,一千"), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(path), "--json"])
    assert result.exit_code == 2
    assert "bad.csv 第2行" in result.output and "在校学生数" in result.output and "Error:" in result.output


def test_console_script_is_installed_and_runs(tmp_path, standard):
    path = write_csv(tmp_path / "t.csv", [school(standard, "一小")])
    exe = Path(sys.executable).with_name("inspection")
    out = subprocess.run([str(exe), "evaluate", str(path), "--json"], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout)["resource_passed"] is True


def test_status_json_lists_every_county_with_its_plan_year(tmp_path):
    """`inspection demo` runs the flows (tests/workflows/test_demo_cli.py); here the quick seed is enough."""
    from datetime import date

    from inspection.db import init_database, session_scope
    from inspection.services import make_context, seed_demo
    init_database()
    with session_scope() as session:
        seed_demo(session, make_context("test", date(2026, 11, 29)))
    status = json.loads(runner.invoke(app, ["status", "--json", "--as-of", "2026-11-29"]).output)
    assert [r["county"] for r in status][0] == "泽普县"
    assert {r["county"]: r["target_year"] for r in status}["莎车县"] == 2034
    assert all(r["latest_evaluation"]["year"] == 2026 for r in status)
    assert {"stage", "stage_zh", "next_deadline", "open_cases"} <= set(status[0])
    assert status[0]["stage"] == "plan_submission" and status[0]["open_cases"] == []
    assert status[0]["next_deadline"] == {"date": "2025-12-31", "what": "创建年份2025年认定期限",
                                          "what_en": "recognition due by 2025-12-31", "overdue": True,
                                          "days_left": -333,
                                          "assumption": load_cycle().cycle.recognition_due.assumption}
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0 and "审计日志完整" in verify.output


def test_init_never_prints_the_database_password(monkeypatch, tmp_path):
    from inspection.db import shown_url
    url = "postgresql+psycopg://junheng:s3cret-Pa55@db.example:5432/junheng"
    assert shown_url(url) == "postgresql+psycopg://junheng:***@db.example:5432/junheng"
    assert "s3cret" not in shown_url(url)
    sqlite = f"sqlite:///{tmp_path / 'x.sqlite'}"
    monkeypatch.setenv("INSPECTION_DATABASE_URL", sqlite)
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 0 and sqlite in result.output


@pytest.mark.parametrize("url", ["postgresql+psycopg://junheng:s3cretpw@127.0.0.1:9/nodb", "sqlite:///{tmp}/bad.sqlite"])
def test_a_database_that_cannot_be_used_is_named_with_its_password_masked(tmp_path, url):
    import os
    (tmp_path / "bad.sqlite").write_bytes(b"not a database, only text " * 20)
    env = {**os.environ, "INSPECTION_DATA_DIR": str(tmp_path), "INSPECTION_DATABASE_URL": url.format(tmp=tmp_path)}
    done = subprocess.run([str(Path(sys.executable).parent / "inspection"), "status"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[0].startswith("错误：无法使用数据库 ") and lines[1].startswith("Error: cannot use")
    assert "s3cretpw" not in done.stderr + done.stdout and ("***@" in lines[0] or "file is not a database" in lines[0])


def test_an_unexpected_failure_is_a_message_and_a_crash_file_not_a_trace(tmp_path, monkeypatch, capsys):
    import inspection.cli as cli

    def broken():
        raise KeyError("a bug")
    monkeypatch.setattr(cli, "app", broken)
    with pytest.raises(SystemExit) as exit_:
        cli.main()
    assert exit_.value.code == 70
    err = capsys.readouterr().err
    assert err.startswith("错误：内部错误，操作未完成；详情已写入 ") and "Traceback" not in err
    crash = next((tmp_path / "data" / "crashes").glob("*.log")).read_text()
    assert "KeyError: 'a bug'" in crash and "Traceback" in crash
