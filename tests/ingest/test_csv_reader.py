import pytest

from inspection.errors import TableError
from inspection.ingest import read_school_table, sha256_of
from inspection.rules import evaluate_resources
from tests.factories import school, write_csv


def test_canonical_csv_round_trips_with_provenance(tmp_path, standard):
    rows = [school(standard, "一小", students=800), school(standard, "一中", "junior", students=600)]
    path = write_csv(tmp_path / "学校.csv", rows)
    table = read_school_table(path, standard)
    assert table.names == ("一小", "一中")
    assert table.figures["equipment_value"][0] == pytest.approx(2000 * 800)  # 万元 → 元
    prov = table.row_provenance(1, "students")
    assert prov.row == 3 and prov.column == "在校学生数" and prov.raw == "600"
    assert prov.sha256 == sha256_of(path.read_bytes())
    assert "第3行" in prov.describe()


def test_equipment_header_in_yuan_is_not_multiplied(tmp_path, standard):
    from inspection.columns import canonical_columns
    headers = [c.header.replace("（万元）", "（元）") for c in canonical_columns()]
    rows = [school(standard, "一小", students=100)]
    path = write_csv(tmp_path / "yuan.csv", rows, headers=headers)
    path.write_text(path.read_text(encoding="utf-8").replace(",20.000000,", ",200000,"), encoding="utf-8")
    table = read_school_table(path, standard)
    assert table.figures["equipment_value"][0] == 200000


def test_full_width_digits_and_thousands_separators(tmp_path, standard):
    path = write_csv(tmp_path / "a.csv", [school(standard, "一小", students=1000)])
    text = path.read_text(encoding="utf-8").replace(",1000,", ',"１,０００",', 1)
    path.write_text(text, encoding="utf-8")
    assert read_school_table(path, standard).figures["students"][0] == 1000


def test_missing_column_lists_what_was_seen(tmp_path, standard):
    from inspection.columns import canonical_columns
    headers = [c.header for c in canonical_columns() if c.field != "sports_area"]
    path = tmp_path / "m.csv"
    path.write_text(",".join(headers) + "\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        read_school_table(path, standard)
    assert "缺少列 体育运动场馆面积（平方米）" in err.value.zh
    assert "学校名称" in err.value.zh and err.value.exit_code == 2


def test_non_numeric_cell_names_row_and_column(tmp_path, standard):
    path = write_csv(tmp_path / "n.csv", [school(standard, "一小"), school(standard, "二小")])
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[2].split(",")
    cells[9] = "约三千"
    lines[2] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(TableError) as err:
        read_school_table(path, standard)
    assert err.value.details["row"] == 3
    assert err.value.details["column"] == "体育运动场馆面积（平方米）"
    assert "约三千" in err.value.zh and "二小" in err.value.zh


def test_missing_students_is_an_error_naming_the_row(tmp_path, standard):
    path = write_csv(tmp_path / "z.csv", [school(standard, "一小")])
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[1].split(",")
    cells[2] = ""
    path.write_text(lines[0] + "\n" + ",".join(cells) + "\n", encoding="utf-8")
    with pytest.raises(TableError, match="第2行（一小，小学）：在校学生数为空"):
        read_school_table(path, standard)


def test_rows_outside_compulsory_education_are_left_out_with_a_note(tmp_path, standard):
    rows = [school(standard, "一小"), {**school(standard, "空校"), "students": 0},
            {**school(standard, "第一中学", "junior"), "stage": "高中"}, school(standard, "第一中学", "junior")]
    table = read_school_table(write_csv(tmp_path / "x.csv", rows), standard)
    assert list(zip(table.names, table.stages)) == [("一小", "primary"), ("第一中学", "junior")]
    reasons = {e["name"]: e["reason"] for e in table.excluded}
    assert "在校学生数为0" in reasons["空校"] and "第3行" in reasons["空校"]
    assert "高中阶段不属于义务教育" in reasons["第一中学"]
    only_zero = write_csv(tmp_path / "z.csv", [{**school(standard, "空校"), "students": 0}])
    with pytest.raises(TableError, match="没有可评估的义务教育学校数据行"):
        read_school_table(only_zero, standard)


def test_unknown_stage_and_duplicate_rows(tmp_path, standard):
    path = write_csv(tmp_path / "s.csv", [{**school(standard, "一小"), "stage": "幼小"}])
    with pytest.raises(TableError, match="学段“幼小”无法识别"):
        read_school_table(path, standard)
    path = write_csv(tmp_path / "d.csv", [school(standard, "一小"), school(standard, "一小")])
    with pytest.raises(TableError, match="与第2行重复"):
        read_school_table(path, standard)


def test_nine_year_shared_figures_are_split_by_enrolment(tmp_path, standard):
    p = school(standard, "九年制", "primary", students=600)
    j = school(standard, "九年制", "junior", students=400)
    p["sports_area"], j["sports_area"] = 10000.0, ""
    table = read_school_table(write_csv(tmp_path / "nine.csv", [p, j]), standard)
    assert table.figures["sports_area"].tolist() == pytest.approx([6000.0, 4000.0])
    assert any("体育运动场馆面积为两学段共用" in n for n in table.notes)
    assert "拆分" in table.row_provenance(1, "sports_area").note
    evaluate_resources(table, standard)  # evaluates without error


def test_split_weights_are_rule_data(tmp_path, standard):
    from inspection.standard import Standard
    opts = standard.options.model_copy(update={"shared_resource_weights": {"primary": 1.0, "junior": 1.1}})
    weighted = Standard.model_validate({**standard.model_dump(), "options": opts.model_dump()})
    p = school(standard, "九年制", "primary", students=500)
    j = school(standard, "九年制", "junior", students=500)
    p["sports_area"], j["sports_area"] = 2100.0, "共用"
    table = read_school_table(write_csv(tmp_path / "w.csv", [p, j]), weighted)
    assert table.figures["sports_area"].tolist() == pytest.approx([1000.0, 1100.0])


def test_unreadable_files(tmp_path, standard):
    from inspection.errors import ReadError
    with pytest.raises(ReadError, match="无法读取"):
        read_school_table(tmp_path / "none.csv", standard)
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00\x81\x00" * 10)
    with pytest.raises(ReadError):
        read_school_table(bad, standard)
    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(ReadError, match="空文件"):
        read_school_table(empty, standard)
