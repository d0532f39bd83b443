from inspection.rules import CountyFigure, check_county_indicators, decide, evaluate_resources
from inspection.rules.county import CountyShortfall, county_figures_from_table, county_shortfall
from inspection.rules.vetoes import VetoFinding
from tests.factories import school, to_table


def _by_id(results):
    return {r.indicator.id: r for r in results}


def test_kashgar_retention_is_stricter_than_the_national_method(standard, national):
    figures = {"Q1": CountyFigure(95.5)}
    assert _by_id(check_county_indicators(national, figures))["Q1"].met is True
    kashgar = _by_id(check_county_indicators(standard, figures))["Q1"]
    assert kashgar.met is False
    assert "96" in kashgar.sentence and "方案三（一）" in kashgar.sentence


def test_boundary_and_strict_comparators(standard):
    results = _by_id(check_county_indicators(standard, {
        "S1": CountyFigure(85), "Q9b": CountyFigure(0.15), "G7": CountyFigure(5999)}))
    assert results["S1"].met is True        # ≥ 85 % met at 85
    assert results["Q9b"].met is False      # < 0.15 strict
    assert results["G7"].met is False


def test_per_stage_thresholds(standard):
    ok = _by_id(check_county_indicators(standard, {"G13": CountyFigure({"primary": 100, "junior": 95})}))
    bad = _by_id(check_county_indicators(standard, {"G13": CountyFigure({"primary": 99, "junior": 97})}))
    assert ok["G13"].met is True and bad["G13"].met is False
    partial = _by_id(check_county_indicators(standard, {"G13": CountyFigure({"primary": 100})}))
    assert partial["G13"].met is None


def test_grades_and_judgements(standard):
    results = _by_id(check_county_indicators(standard, {
        "Q6": CountyFigure("良好"), "Q9": CountyFigure("中等以下"),
        "G1": CountyFigure(True, evidence="布局规划.pdf 第3页"), "G2": CountyFigure(False)}))
    assert results["Q6"].met is True
    assert results["Q9"].met is False
    assert results["G1"].met is True and "布局规划.pdf 第3页" in results["G1"].sentence
    assert results["G2"].met is False


def test_missing_and_unreadable_figures_are_pending_not_met(standard):
    results = _by_id(check_county_indicators(standard, {"Q2": CountyFigure("很多"), "Q6": CountyFigure("很好")}))
    assert results["Q1"].met is None and "待核实" in results["Q1"].sentence
    assert results["Q2"].met is None and results["Q6"].met is None


def test_oversized_schools_from_table(standard):
    rows = [school(standard, "大校", students=2100),
            school(standard, "九年制", "primary", students=1500), school(standard, "九年制", "junior", students=900),
            school(standard, "小校", students=400)]
    figures = county_figures_from_table(to_table(rows), standard)
    # 大校 2100 > 2000; the nine-year school's 2400 is within its own limit of 2500.
    assert figures["G4"].value == 1
    assert "大校（2100人，限2000人）" in figures["G4"].evidence and "九年制" not in figures["G4"].evidence
    rows[1]["students"] = 1700
    assert county_figures_from_table(to_table(rows), standard)["G4"].value == 2


def _all_met(standard):
    figures = {}
    for ind in standard.county_indicators:
        if ind.comparator == "judged":
            figures[ind.id] = CountyFigure(True)
        elif ind.multi_year:
            figures[ind.id] = CountyFigure({2024 + k: 100.0 + k for k in range(ind.years)})
        elif ind.comparator == "grade":
            figures[ind.id] = CountyFigure(ind.threshold)
        elif isinstance(ind.threshold, dict):
            figures[ind.id] = CountyFigure(dict(ind.threshold))
        elif ind.comparator == "<":
            figures[ind.id] = CountyFigure(float(ind.threshold) / 2)
        else:
            figures[ind.id] = CountyFigure(ind.threshold)
    return figures


def test_only_a_confirmed_veto_overrides_a_perfect_county(standard):
    resources = evaluate_resources(to_table([school(standard, "一小"), school(standard, "一中", "junior")]), standard)
    county = check_county_indicators(standard, _all_met(standard))
    assert decide(resources, county, []).outcome == "met"
    finding = VetoFinding("key_school_or_class", "我县第一中学设立实验班，按考试成绩分班", source="自评报告.pdf", page=12)
    # A keyword hit not yet decided is evidence (待核实), never 不予认定 by itself.
    waiting = decide(resources, county, [finding])
    assert waiting.outcome == "pending" and waiting.pending == () and waiting.open_vetoes == (finding,)
    assert all("不予认定" not in r or r.startswith("待核实") for r in waiting.reasons)
    confirmed = VetoFinding("key_school_or_class", finding.quote, "自评报告.pdf", 12, status="confirmed")
    verdict = decide(resources, county, [confirmed])
    assert verdict.outcome == "vetoed" and verdict.label == "不予认定"
    assert "划分重点学校或重点班" in verdict.reasons[0] and "第12页" in verdict.reasons[0]
    dismissed = VetoFinding("key_school_or_class", "…", status="dismissed")
    assert decide(resources, county, [dismissed]).outcome == "met"


def test_unmet_beats_pending(standard):
    resources = evaluate_resources(to_table([school(standard, "一小", ratios={"R5": 0.5})]), standard)
    verdict = decide(resources, check_county_indicators(standard, {}), [])
    assert verdict.outcome == "not_met"
    assert any("一小" in r for r in verdict.reasons)
    good = evaluate_resources(to_table([school(standard, "一小")]), standard)
    assert decide(good, check_county_indicators(standard, {}), []).outcome == "pending"


def _shortfalls(standard, figures):
    return {i: county_shortfall(r) for i, r in _by_id(check_county_indicators(standard, figures)).items()}


def test_numeric_shortfalls_are_the_distance_to_the_threshold(standard):
    gaps = _shortfalls(standard, {"Q1": CountyFigure(95.2), "G7": CountyFigure(5999), "G4": CountyFigure(2),
                                  "Q9b": CountyFigure(0.17), "S1": CountyFigure(90)})
    # ≥ 96 %: a rate's gap is in percentage points, not a float artefact of 96 − 95.2.
    assert gaps["Q1"] == CountyShortfall(0.8, "个百分点", "需提高0.8个百分点")
    assert gaps["G7"] == CountyShortfall(1.0, "元/生", "需增加1元/生")
    # ≤ 0 schools: the unit loses its explanation （超规模学校数）.
    assert gaps["G4"] == CountyShortfall(2.0, "所", "需减少2所")
    # < 0.15 is strict: reaching the threshold is not enough.
    assert gaps["Q9b"] == CountyShortfall(0.02, "", "需减少超过0.02")
    assert gaps["S1"] is None


def test_per_stage_shortfall_names_only_the_failing_stage(standard):
    gap = _shortfalls(standard, {"G13": CountyFigure({"primary": 100, "junior": 93.5})})["G13"]
    assert gap == CountyShortfall(None, "", "初中需提高1.5个百分点")


def test_grade_judged_and_missing_shortfalls_have_no_amount(standard):
    gaps = _shortfalls(standard, {"Q9": CountyFigure("中等以下"), "G2": CountyFigure(False),
                                  "Q6": CountyFigure("很好")})
    assert gaps["Q9"] == CountyShortfall(None, "", "需由中等以下提升至中等以上")
    assert gaps["G2"] == CountyShortfall(None, "", "经督导认定未达标，需按要求整改")
    assert gaps["Q1"] == gaps["Q6"] == CountyShortfall(None, "", "未提供数据，需补报数据及佐证材料")
