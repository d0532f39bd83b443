"""`inspection demo` runs the cycle for the twelve counties as flows; status, audit and tampering."""

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from inspection.cli import app

pytestmark = [pytest.mark.usefixtures("prefect_harness"), pytest.mark.slow]
runner = CliRunner()


def _status():
    result = runner.invoke(app, ["status", "--json", "--as-of", "2026-11-29"])
    assert result.exit_code == 0, result.output
    return {r["county"]: r for r in json.loads(result.output)}


def test_demo_runs_the_cycle_and_a_tampered_log_is_caught():
    result = runner.invoke(app, ["demo", "--as-of", "2026-11-29", "--no-letters"])
    assert result.exit_code == 0, result.output
    assert "2025-07-15 泽普县 地区督导评估：2个学校学段资源配置未达标，退回整改（喀教督〔2025〕1号）" in result.output
    status = _status()
    assert {c: r["target_year"] for c, r in status.items()} == {
        "泽普县": 2025, "麦盖提县": 2027, "巴楚县": 2027, "岳普湖县": 2028, "疏附县": 2031, "疏勒县": 2031,
        "塔什库尔干塔吉克自治县": 2031, "喀什市": 2032, "伽师县": 2032, "英吉沙县": 2032, "叶城县": 2033, "莎车县": 2034}
    zepu = status.pop("泽普县")
    # 2026 monitoring: 泽普县 has rectified (met in all four parts, yet under accountability for its
    # missed year); 麦盖提县 awaits its social-recognition survey (pending); the others are not met.
    assert zepu["stage"] == "accountability" and zepu["latest_evaluation"]["failing_schools"] == 0
    assert zepu["latest_evaluation"]["outcome"] == "met"
    outcomes = {c: r["latest_evaluation"]["outcome"] for c, r in status.items()}
    assert outcomes.pop("麦盖提县") == "pending" and set(outcomes.values()) == {"not_met"}
    assert status["巴楚县"]["latest_evaluation"]["county_unmet"] == ["K1"]
    assert sorted(c["kind"] for c in zepu["open_cases"]) == ["missed_recognition_year", "overdue_rectification"]
    assert all(c["level"] == 1 for c in zepu["open_cases"]) and zepu["next_deadline"]["date"] == "2027-02-27"
    assert {r["stage"] for r in status.values()} == {"annual_monitoring"}
    assert status["麦盖提县"]["next_deadline"] == {"date": "2027-06-30", "what": "提交县级自评材料",
                                                 "what_en": "submit the self-assessment", "overdue": False,
                                                 "days_left": 213, "assumption": "方案未规定自评材料的报送日期"}
    verify = runner.invoke(app, ["audit", "verify"])
    assert verify.exit_code == 0, verify.output
    events = int(verify.output.split("：")[1].split(" ")[0])

    again = runner.invoke(app, ["demo", "--as-of", "2026-11-29", "--no-letters"])
    assert again.exit_code == 0, again.output
    assert _status() == {**status, "泽普县": zepu}
    assert f"{events} 条记录" in runner.invoke(app, ["audit", "verify"]).output   # the re-run wrote nothing

    from inspection.db import get_engine
    engine = get_engine()
    with engine.begin() as conn:   # someone drops the guard and rewrites the verdict's reason
        conn.execute(text("DROP TRIGGER auditevent_no_update"))
        conn.execute(text("UPDATE auditevent SET reason = '各项指标达到要求' WHERE action = 'verdict.record'"))
    tampered = runner.invoke(app, ["audit", "verify"])
    assert tampered.exit_code == 1 and "审计日志被篡改" in tampered.output
