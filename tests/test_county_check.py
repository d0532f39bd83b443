"""Whose table is it (材料归属核对): school names, registered schools and headings against the schedule."""

from inspection.county_check import check_county, county_names
from inspection.standard import load_schedule

SCHEDULE = load_schedule()
NAMES = {p.name: county_names(p.name, p.short_name, SCHEDULE.prefecture.name) for p in SCHEDULE.counties}


def test_written_forms_leave_out_a_bare_name_inside_the_prefectures_name():
    assert NAMES["泽普县"] == ("泽普县", "泽普")
    assert NAMES["塔什库尔干塔吉克自治县"] == ("塔什库尔干塔吉克自治县", "塔什库尔干县", "塔什库尔干塔吉克", "塔什库尔干")
    assert NAMES["喀什市"] == ("喀什市",)            # "喀什" is in 喀什地区: it would match the prefecture's schools


def test_another_countys_school_names_are_a_mismatch_naming_it():
    schools = [f"泽普县第{k}小学" for k in range(1, 5)]
    found = check_county("巴楚县", names=NAMES, schools=schools)
    assert found.other == "泽普县" and found.zh == "4所学校中有4所校名含“泽普县”"
    assert check_county("泽普县", names=NAMES, schools=schools) is None


def test_own_names_outweigh_a_few_that_mention_another_county():
    schools = ["巴楚县第一中学", "巴楚县第二中学", "巴楚县泽普路小学"]
    assert check_county("巴楚县", names=NAMES, schools=schools) is None
    assert check_county("巴楚县", names=NAMES, schools=["喀什地区第一中学", "巴楚县实验小学"]) is None


def test_schools_registered_to_another_county_count_when_the_names_say_nothing():
    schools = ["第一小学", "第二小学", "第三小学"]
    registered = {"第一小学": {"泽普县"}, "第二小学": {"泽普县"}}
    assert check_county("巴楚县", names=NAMES, schools=schools, registered=registered, own_on_record=9).other == "泽普县"
    mine = {**registered, "第三小学": {"巴楚县"}}
    assert check_county("巴楚县", names=NAMES, schools=schools, registered=mine, own_on_record=9) is None
    one = {"第一小学": {"泽普县"}}
    assert check_county("巴楚县", names=NAMES, schools=schools, registered=one, own_on_record=9) is None
    # A county's first table: generic names shared with another county are no evidence.
    assert check_county("巴楚县", names=NAMES, schools=schools, registered=registered) is None


def test_a_heading_naming_another_county_counts_only_when_the_table_says_nothing():
    schools = ["第一小学", "第二小学"]
    found = check_county("巴楚县", names=NAMES, schools=schools, headings=["泽普县义务教育优质均衡发展自评报告"])
    assert found.other == "泽普县"
    assert check_county("巴楚县", names=NAMES, schools=schools, headings=["巴楚县自评报告，学习泽普县经验"]) is None
    assert check_county("巴楚县", names=NAMES, schools=schools, headings=["一、基本情况"] * 5 + ["泽普县"]) is None
