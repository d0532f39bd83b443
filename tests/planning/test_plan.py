"""`inspection plan FILE --county NAME --json` (STANDARD.md §5): the additions, added to the table,
make it pass; one person or room less in any row makes it fail; the cost is the optimum on small
hand-made cases (brute force); every demo county."""

import csv
import itertools
import json

import pytest
from typer.testing import CliRunner

from inspection import demo
from inspection.cli import app
from inspection.planning import load_costs, plan_additions
from tests.factories import school, to_table, write_csv

runner = CliRunner()


def _json(args) -> dict:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _apply(path, additions, out, less: tuple[int, str] | None = None):
    """The table with the additions added (and one unit less of `less` = (addition index, header))."""
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head, body = rows[0], rows[1:]
    for n, add in enumerate(additions):
        row = next(r for r in body if r[0] == add["学校名称"] and r[1] == add["学段"])
        for header, amount in add.items():
            if header in ("学校名称", "学段"):
                continue
            j = head.index(header)
            amount -= 1 if less == (n, header) else 0
            row[j] = repr(float(row[j] or 0) + amount)
    with out.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([head, *body])
    return out


def _passed(path) -> bool:
    return _json(["evaluate", str(path), "--json"])["resource_passed"]


def _check(path, tmp_path, county="泽普县") -> dict:
    plan = _json(["plan", str(path), "--county", county, "--json"])
    _sufficient_and_minimal(path, plan, tmp_path)
    return plan


def _sufficient_and_minimal(path, plan, tmp_path) -> None:
    """Added to the table at `path`, the additions pass; one person or room less in any row fails."""
    assert _passed(_apply(path, plan["additions"], tmp_path / "after.csv"))
    counts = ("人", "教师数", "教室数")
    for n, add in enumerate(plan["additions"]):
        for header, amount in add.items():
            if header not in ("学校名称", "学段") and isinstance(amount, int) and amount >= 1:
                assert any(c in header for c in counts)
                less = _apply(path, plan["additions"], tmp_path / "less.csv", less=(n, header))
                assert not _passed(less), (add["学校名称"], header)


def test_a_passing_table_needs_nothing(standard, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [school(standard, "一小"), school(standard, "一中", "junior")])
    assert _json(["plan", str(path), "--county", "泽普县", "--json"])["additions"] == []


def test_hand_made_schools_get_sufficient_minimal_additions(standard, tmp_path):
    rows = [school(standard, "一小", students=500, ratios={"R1": 0.7, "R5": 0.9, "R7": 0.5}),
            school(standard, "二小", students=800, ratios={"R3": 0.6}),
            school(standard, "一中", "junior", students=900, ratios={"R2": 0.8, "R6": 0.84}),
            school(standard, "二中", "junior", students=600)]
    plan = _check(write_csv(tmp_path / "t.csv", rows), tmp_path)
    names = {a["学校名称"] for a in plan["additions"]}
    assert names == {"一小", "二小", "一中"} and plan["cost_wan"] > 0


@pytest.mark.parametrize("ratios", [{"R1": 0.7, "R5": 0.9, "R7": 0.5}, {"R4": 0.86, "R6": 0.86},
                                    {"R2": 0.3, "R3": 0.5, "R6": 0.95}])
def test_the_cost_is_the_brute_force_optimum_for_one_school(standard, ratios):
    """Every way to choose which indicator stays between 85 % and 100 % (or none), costed the same way."""
    costs = load_costs()
    table = to_table([school(standard, "一小", students=700, ratios=ratios)])
    plan = plan_additions(table, standard, costs)
    assert plan.passed
    from inspection.planning import _Model
    m = _Model(table, standard, costs)
    floor = standard.options.school_floor_ratio
    best = math_inf = float("inf")
    for skip in itertools.chain([None], range(len(m.inds))):
        cost = 0.0
        for k in range(len(m.inds)):
            target = m.thresholds[0, k] * (floor if k == skip else 1.0)
            cost += float(m.need(k, target, 0)) * costs.per_engine_unit(m.levers[k])
        best = min(best, cost)
    assert best < math_inf and plan.cost_wan <= round(best, 2) + 0.01


def test_a_cv_over_its_limit_is_brought_within_it(standard, tmp_path):
    """Every school meets its thresholds, but grounds differ so much that the primary CV is over 0.50."""
    rows = [school(standard, f"第{k}小学", students=800, ratios={"R5": 1.0}) for k in range(4)]
    rows.append(school(standard, "大场地小学", students=3000, ratios={"R5": 4.0}))
    path = write_csv(tmp_path / "cv.csv", rows)
    before = _json(["evaluate", str(path), "--json"])
    assert before["cv"]["primary"]["R5"] > 0.5 and not before["resource_passed"]
    plan = _check(path, tmp_path)
    assert plan["additions"] and all("体育运动场馆面积（平方米）" in a for a in plan["additions"])


@pytest.mark.parametrize("county", ["泽普县", "巴楚县", "塔什库尔干塔吉克自治县", "莎车县"])
def test_demo_counties(standard, schedule, tmp_path, county):
    plan_ = schedule.county(county)
    path = tmp_path / f"{county}.csv"
    path.write_text(demo.to_csv(demo.county_schools(standard, plan_.name, plan_.recognition_year)), encoding="utf-8")
    if county in ("泽普县", "塔什库尔干塔吉克自治县"):      # small enough to take every unit away in turn
        result = _check(path, tmp_path, county)
    else:
        result = _json(["plan", str(path), "--county", county, "--json"])
        assert _passed(_apply(path, result["additions"], tmp_path / "after.csv"))
    assert result["resource_passed_after"] is True


def test_a_plan_for_a_later_year_is_sufficient_and_minimal_on_the_projected_table(standard, tmp_path):
    """--year: the additions are for the table as enrolment will be then, which --projected-table
    writes; added to it they pass and one unit less fails, all through the command line."""
    path = tmp_path / "塔什库尔干.csv"
    path.write_text(demo.to_csv(demo.county_schools(standard, "塔什库尔干塔吉克自治县", 2031)), encoding="utf-8")
    projected = tmp_path / "2029.csv"
    args = ["plan", str(path), "--county", "塔什库尔干塔吉克自治县", "--table-year", "2026", "--year", "2029",
            "--intake-growth", "0.04", "--json", "--projected-table", str(projected)]
    plan = _json(args)
    assert plan["projection"]["year"] == 2029 and plan["projection"]["intake_growth"] == 0.04
    now = _json(["plan", str(path), "--county", "塔什库尔干塔吉克自治县", "--json"])
    assert plan["additions"] != now["additions"]                 # more students later: a different plan
    assert not _passed(projected)
    _sufficient_and_minimal(projected, plan, tmp_path)
    written = projected.read_bytes()
    assert _json(args) == plan and projected.read_bytes() == written                  # reproducible


def test_a_projected_table_that_cannot_be_written_is_named(standard, tmp_path):
    path = write_csv(tmp_path / "t.csv", [school(standard, "一小")])
    result = runner.invoke(app, ["plan", str(path), "--county", "泽普县", "--projected-table", str(path / "p.csv")])
    assert result.exit_code == 1 and "无法写入" in result.output and "上级路径不是文件夹" in result.output, result.output
    assert "p.csv" in result.output and "Traceback" not in result.output


def test_every_demo_county_passes_with_its_plan(standard, schedule):
    costs = load_costs()
    for plan_ in schedule.counties:
        table = demo.to_table(demo.county_schools(standard, plan_.name, plan_.recognition_year))
        assert plan_additions(table, standard, costs).passed, plan_.name


def test_an_unknown_county_is_refused(standard, tmp_path):
    path = write_csv(tmp_path / "t.csv", [school(standard, "一小")])
    result = runner.invoke(app, ["plan", str(path), "--county", "不存在县"])
    assert result.exit_code == 1 and "日程中没有县市" in result.output


def test_plan_json_from_a_whole_process_is_json_alone(tmp_path, standard):
    """As an independent check runs it: stdout is the JSON and nothing else (HiGHS prints a banner to
    the C stdout at its first use in a process unless it is made quiet first)."""
    import subprocess
    import sys
    from pathlib import Path
    path = tmp_path / "泽普县.csv"
    path.write_text(demo.to_csv(demo.county_schools(standard, "泽普县", 2025)), encoding="utf-8")
    run = subprocess.run([str(Path(sys.executable).with_name("inspection")), "plan", str(path), "--county", "泽普县", "--json"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "HiGHS" not in run.stdout + run.stderr
    assert json.loads(run.stdout)["additions"]
