"""The 县级指标 sheet: generated from the loaded standard, filled by a county, read back with
provenance, and the whole verdict from `inspection evaluate --json` (STANDARD.md §5)."""

import json

import pytest
from typer.testing import CliRunner

from inspection.cli import app
from inspection.forms import build_workbook, requirement
from inspection.standard import load_standard
from tests.factories import passing_county_values, school, write_csv, write_workbook


def _evaluate(path, *extra):
    result = CliRunner().invoke(app, ["evaluate", str(path), "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def schools(standard):
    return [school(standard, "一小"), school(standard, "二小", students=600),
            school(standard, "九年制学校", "primary", 500), school(standard, "九年制学校", "junior", 400),
            school(standard, "一中", "junior", 900)]


@pytest.mark.parametrize("ref", ["kashgar-2022", "national-2017"])
def test_sheet_has_one_row_per_county_indicator_of_the_loaded_standard(ref):
    std = load_standard(ref)
    sheet = build_workbook(std)["县级指标"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][:6]) == ["编号", "指标", "标准", "单位", "本县数值", "佐证材料（名称及页码）"]
    assert [r[0] for r in rows[1:]] == [i.id for i in std.county_indicators]
    years = [h for h in rows[0][6:]]
    assert years == (["2024年", "2025年", "2026年"] if ref == "kashgar-2022" else [])
    by_id = {r[0]: r for r in rows[1:]}
    assert "是" in by_id["G1"][2] and "否" in by_id["G1"][2]
    assert "暂定，待委员会确认" in by_id["G7"][2]


def test_passing_figures_and_schools_are_met(tmp_path, standard, schools):
    got = _evaluate(write_workbook(tmp_path / "ok.xlsx", schools, passing_county_values(standard)))
    assert got["resource_passed"] is True
    assert got["outcome"] == "met" and got["pending"] == []
    ids = {i.id for i in standard.county_indicators}
    assert set(got["county_indicators"]) == ids
    q1 = got["county_indicators"]["Q1"]
    assert q1["met"] is True and q1["value"] == 96
    assert "ok.xlsx" in q1["source"] and "县级指标" in q1["source"] and "本县数值" in q1["source"]
    assert got["county_indicators"]["G13"]["value"] == {"primary": 100, "junior": 95}
    assert got["county_indicators"]["K5"]["value"] == {"2024": 1000, "2025": 1010, "2026": 1020}
    assert got["county_indicators"]["G4"]["source"].startswith("学校数据表计算")


@pytest.mark.parametrize("ind_id, bad", [("G9", "99"), ("Q1", "95.5"), ("S1", "84"), ("K1", "94"),
                                          ("G1", "否"), ("Q9", "中等以下"), ("G13", "小学100；初中94"),
                                          ("K5", {2024: 1000, 2025: 990, 2026: 1020})])
def test_one_failing_figure_in_any_part_is_not_met_naming_it(tmp_path, standard, schools, ind_id, bad):
    values = {**passing_county_values(standard), ind_id: bad}
    got = _evaluate(write_workbook(tmp_path / "bad.xlsx", schools, values))
    assert got["outcome"] == "not_met" and got["pending"] == []
    assert [k for k, v in got["county_indicators"].items() if v["met"] is False] == [ind_id]
    assert any(r.startswith(ind_id + " ") for r in got["reasons"])


@pytest.mark.parametrize("ind_id", ["G1", "G11b", "Q2", "Q6", "S1", "K2", "K6"])
def test_a_blank_is_pending_naming_it(tmp_path, standard, schools, ind_id):
    values = {**passing_county_values(standard), ind_id: None}
    got = _evaluate(write_workbook(tmp_path / "pending.xlsx", schools, values))
    assert got["outcome"] == "pending" and got["pending"] == [ind_id]
    assert got["county_indicators"][ind_id] == {**got["county_indicators"][ind_id], "value": None, "met": None}


def test_a_school_table_alone_is_pending_with_every_declared_indicator(tmp_path, standard, schools):
    got = _evaluate(write_csv(tmp_path / "t.csv", schools))
    assert got["outcome"] == "pending"
    computed = {"G4"}          # the table computes G4; its average class sizes prove nothing for G5
    assert set(got["pending"]) == {i.id for i in standard.county_indicators} - computed


def test_failing_schools_and_blank_figures_are_not_met_and_still_list_the_pending(tmp_path, standard, schools):
    rows = [*schools, school(standard, "三小", ratios={"R5": 0.5})]
    values = {**passing_county_values(standard), "Q1": None}
    got = _evaluate(write_workbook(tmp_path / "t.xlsx", rows, values))
    assert got["outcome"] == "not_met" and got["pending"] == ["Q1"]


@pytest.mark.parametrize("ind_id, text, message", [
    ("G1", "1", "应填“是”或“否”"),
    ("Q6", "很好", "应为以下等级之一"),
    ("S1", "101", "不能超过100"),
    ("Q1", "九十六", "不是数字"),
    ("G13", "100", "缺少小学、初中数值"),
    ("K5", {2024: 1000, 2026: 1020}, "缺少2025年的数值"),
    ("K5", "1000", "逐年填写，而不是填在“本县数值”列"),
])
def test_bad_values_name_the_row_in_both_languages(tmp_path, standard, schools, ind_id, text, message):
    values = {**passing_county_values(standard), ind_id: text}
    path = write_workbook(tmp_path / "坏表.xlsx", schools, values)
    result = CliRunner().invoke(app, ["evaluate", str(path), "--json"])
    assert result.exit_code == 2
    row = [i.id for i in standard.county_indicators].index(ind_id) + 2
    assert f"坏表.xlsx 工作表“县级指标”第{row}行（{ind_id}）" in result.output and message in result.output
    assert f"Error: 坏表.xlsx row {row} ({ind_id})" in result.output
    assert "Traceback" not in result.output


def test_an_unknown_id_is_an_error(tmp_path, standard, schools):
    path = write_workbook(tmp_path / "t.xlsx", schools, passing_county_values(standard))
    import openpyxl
    book = openpyxl.load_workbook(path)
    book["县级指标"]["A5"] = "G99"
    book.save(path)
    result = CliRunner().invoke(app, ["evaluate", str(path)])
    assert result.exit_code == 2 and "编号“G99”不是标准kashgar-2022的县级指标" in result.output


def test_declared_class_count_contradicted_by_the_table_is_reported_and_not_met(tmp_path, standard, schools):
    crowded = {**school(standard, "大班小学", students=1000), "classes": 20}    # 50 a class > 45
    values = {**passing_county_values(standard), "G5": "0"}
    got = _evaluate(write_workbook(tmp_path / "t.xlsx", [*schools, crowded], values))
    g5 = got["county_indicators"]["G5"]
    assert g5["met"] is False and g5["value"] == 1 and "大班小学" in g5["evidence"]
    assert len(got["contradictions"]) == 1 and "数据相互矛盾" in got["contradictions"][0]
    assert got["outcome"] == "not_met"


def test_a_table_without_class_counts_is_read_and_only_g5_waits(tmp_path, standard, schools):
    rows = [{k: v for k, v in r.items() if k != "classes"} for r in schools]
    from inspection.columns import canonical_columns
    headers = [c.header for c in canonical_columns() if c.field != "classes"]
    path = tmp_path / "no-classes.csv"
    write_csv(path, rows)
    lines = path.read_text(encoding="utf-8").splitlines()
    j = lines[0].split(",").index("班级数")
    path.write_text("\n".join(",".join(c for k, c in enumerate(line.split(",")) if k != j) for line in lines) + "\n",
                    encoding="utf-8")
    assert lines[0].split(",")[:j] == headers[:j]
    got = _evaluate(path)
    assert got["resource_passed"] is True and "G5" in got["pending"]


def test_requirement_text_says_how_to_fill_each_kind(standard):
    by_id = {i.id: requirement(i) for i in standard.county_indicators}
    assert "小学100；初中95" in by_id["G13"]
    assert "逐年" in by_id["K5"]
    assert "由学校数据表计算" in by_id["G4"]
    assert "中等" in by_id["Q9"]


def test_the_outline_has_one_county_table_per_part_and_reads_back(tmp_path, standard, schools):
    import docx
    from inspection.forms import build_outline
    from tests.ingest.helpers import fill_school_table
    document = build_outline(standard)
    tables = document.tables
    assert len(tables) == 4                         # the school table, then guarantee, quality, recognition
    parts = [[row.cells[0].text for row in t.rows[1:]] for t in tables[1:]]
    assert parts == [[i.id for i in standard.county_indicators if i.area == area]
                     for area in ("guarantee", "quality", "recognition")]
    fill_school_table(tables[0], schools)
    values = passing_county_values(standard)
    for table in tables[1:]:
        heads = [c.text for c in table.rows[0].cells]
        for row in table.rows[1:]:
            value = values[row.cells[0].text]
            if isinstance(value, dict):
                for year, amount in value.items():
                    row.cells[heads.index(f"{year}年")].text = str(amount)
            else:
                row.cells[heads.index("本县数值")].text = str(value)
    document.save(tmp_path / "自评报告.docx")
    got = _evaluate(tmp_path / "自评报告.docx")
    assert got["outcome"] == "met", got["reasons"]
    assert "自评报告.docx" in got["county_indicators"]["S1"]["source"]
    assert docx  # the outline is a real DOCX read by the DOCX reader
