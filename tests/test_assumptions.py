"""Every provisional value is marked in the rule data and listed in one place (CLI, web)."""

import json

from typer.testing import CliRunner

from inspection.assumptions import assumptions
from inspection.cli import app
from inspection.cycle import load_cycle
from inspection.standard import load_schedule, load_standard


def test_the_rule_data_marks_what_the_sources_do_not_fix():
    found = assumptions(load_standard(), load_cycle(), load_schedule())
    where = {a.where for a in found}
    assert {"kashgar-2022 指标G6", "kashgar-2022 指标G7", "kashgar-2022 指标K5"} <= where
    assert {"创建年份的认定期限", "问责规则", "“大幅度滑坡”的认定", "阶段“地区督导评估”的期限"} <= where
    assert {"麦盖提县的创建年份", "巴楚县的创建年份", "岳普湖县的创建年份"} <= where   # 2027/2028 vs "2030"
    assert all(a.why for a in found)


def test_rules_command_lists_them():
    result = CliRunner().invoke(app, ["rules", "--json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    assert any(r["source"] == "cycle" and "大幅度滑坡" in r["where"] for r in rows)
    text = CliRunner().invoke(app, ["rules"]).output
    assert "暂定，待委员会确认" in text and "部分省份为8000元" in text
