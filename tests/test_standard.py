import pytest

from inspection.errors import StandardError
from inspection.standard import available_standards, load_schedule, load_standard

PLAN_YEARS = {"泽普县": 2025, "麦盖提县": 2027, "巴楚县": 2027, "岳普湖县": 2028, "疏附县": 2031,
              "疏勒县": 2031, "塔什库尔干县": 2031, "喀什市": 2032, "伽师县": 2032, "英吉沙县": 2032,
              "叶城县": 2033, "莎车县": 2034}


def test_both_versions_load_with_every_indicator_and_veto():
    assert {"national-2017", "kashgar-2022"} <= set(available_standards())
    for ref in ("national-2017", "kashgar-2022"):
        std = load_standard(ref)
        assert [i.id for i in std.resource_indicators] == [f"R{k}" for k in range(1, 8)]
        assert {v.id for v in std.vetoes} == {"exam_admission", "school_choice", "key_school_or_class",
                                              "contract_teachers", "safety_accident", "serious_violation",
                                              "falsification"}
        assert all(i.source for i in std.indicators)


def test_resource_thresholds_are_the_standards(standard):
    r = {i.id: i.threshold for i in standard.resource_indicators}
    assert r["R1"] == {"primary": 4.2, "junior": 5.3}
    assert r["R5"] == {"primary": 7.5, "junior": 10.2}
    assert r["R6"] == {"primary": 2000, "junior": 2500}
    assert standard.options.cv_limit == {"primary": 0.5, "junior": 0.45}


def test_kashgar_extends_and_overrides_the_method(standard, national):
    assert national.indicator("Q1").threshold == 95 and standard.indicator("Q1").threshold == 96
    assert standard.indicator("Q1").area == "quality"  # inherited fields survive the override
    assert standard.indicator("K1").threshold == 95
    with pytest.raises(StandardError):
        national.indicator("K1")


def test_schedule_is_the_plans(schedule):
    assert len(schedule.counties) == 12
    assert {c.label: c.recognition_year for c in schedule.counties} == PLAN_YEARS
    assert "2030" in schedule.county("麦盖提县").note  # the plan's own discrepancy stays visible


def _write(tmp_path, text, name="bad.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


GOOD_R1 = '''
vetoes = []
[standard]
id = "t"
title = "t"
[options]
school_min_met = 6
school_floor_ratio = 0.85
cv_limit = { primary = 0.5, junior = 0.45 }
shared_resource_weights = { primary = 1.0, junior = 1.0 }
school_size_limit = { single = 2000, through = 2500 }
[[indicators]]
id = "R1"
area = "resources"
wording = "w"
comparator = ">="
scope = "school"
source = "s"
formula = { numerator = ["qualified_teachers"], scale = 100 }
'''


def test_a_good_minimal_file_loads(tmp_path):
    std = load_standard(_write(tmp_path, GOOD_R1 + 'threshold = { primary = 4.2, junior = 5.3 }\n', "good.toml"))
    assert std.indicator("R1").threshold["junior"] == 5.3


@pytest.mark.parametrize("extra, needle", [
    ("threshold = { primary = 4.2 }\n", "R1"),                   # junior threshold missing
    ("threshold = { primary = 4.2, junior = 'x' }\n", "R1"),     # not a number
    ("", "R1"),                                                   # no threshold at all
    ("threshold = { primary = 4.2, junior = 5.3 }\nbogus = 1\n", "R1"),  # unknown field
])
def test_bad_records_are_named(tmp_path, extra, needle):
    with pytest.raises(StandardError) as err:
        load_standard(_write(tmp_path, GOOD_R1 + extra, f"bad{abs(hash(extra))}.toml"))
    assert needle in err.value.zh and "bad" in err.value.zh


def test_unknown_comparator_is_named(tmp_path):
    text = GOOD_R1.replace('comparator = ">="', 'comparator = "≥"') + 'threshold = { primary = 4.2, junior = 5.3 }\n'
    with pytest.raises(StandardError, match=r"indicators\[R1\]"):
        load_standard(_write(tmp_path, text, "cmp.toml"))


def test_duplicate_ids_and_bad_toml(tmp_path):
    record = GOOD_R1[GOOD_R1.index("[[indicators]]"):] + 'threshold = { primary = 4.2, junior = 5.3 }\n'
    with pytest.raises(StandardError, match="R1"):
        load_standard(_write(tmp_path, GOOD_R1 + 'threshold = { primary = 4.2, junior = 5.3 }\n' + record, "dup.toml"))
    with pytest.raises(StandardError, match="TOML"):
        load_standard(_write(tmp_path, "[standard\nid=", "broken.toml"))
    with pytest.raises(StandardError, match="找不到"):
        load_standard(str(tmp_path / "missing.toml"))


def test_bad_schedule_names_the_county(tmp_path):
    path = _write(tmp_path, '[prefecture]\nid="x"\nname="x"\ncommittee="x"\ndoc_prefix="x"\nstandard="x"\n'
                            '[[counties]]\ncode="1"\nname="甲县"\nrecognition_year="明年"\n', "schedule-bad.toml")
    with pytest.raises(StandardError, match="甲县"):
        load_schedule(path)


def test_another_prefectures_schedule_needs_no_code(tmp_path):
    path = _write(tmp_path, '[prefecture]\nid="hotan"\nname="和田地区"\ncommittee="和田地区教育督导委员会"\n'
                            'doc_prefix="和教督"\nstandard="national-2017"\n'
                            '[[counties]]\ncode="653201"\nname="和田市"\nrecognition_year=2030\n', "schedule-h.toml")
    assert load_schedule(path).county("和田市").recognition_year == 2030
