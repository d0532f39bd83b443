"""School and class sizes (inspection/planning_limits.py): classes to add, places short, new schools."""

from inspection.planning import Relief, load_costs
from inspection.planning_cohorts import Cohorts, project_cohorts
from inspection.planning_limits import class_relief, limits_json, limits_text, size_relief
from tests.factories import school, to_table


def _row(standard, name, stage, students, classes):
    return {**school(standard, name, stage, students=students), "classes": classes}


def test_classes_over_the_limit_need_more_classes(standard):
    table = to_table([_row(standard, "一小", "primary", 500, 10), _row(standard, "一中", "junior", 500, 10),
                      _row(standard, "二小", "primary", 450, 10)])
    relief = class_relief(Cohorts.from_table(table), standard)
    assert [(r.name, r.classes_needed, r.classes_to_add, r.places_short) for r in relief] == [("一小", 12, 2, 50)]
    assert relief[0].by_grade == 12              # 83⅓ a grade → 2 classes in each of 6 grades


def test_growth_makes_classes_too_small_later(standard):
    table = to_table([_row(standard, "一小", "primary", 450, 10)])
    assert class_relief(Cohorts.from_table(table), standard) == []
    later = class_relief(project_cohorts(table, 3, 0.1), standard)[0]   # 75 × (1.1³ + 1.1² + 1.1 + 3)
    assert (later.students, later.classes_to_add) == (498, 2)


def test_schools_over_their_size_need_places_or_new_schools(standard):
    table = to_table([_row(standard, "大小学", "primary", 4100, 92), _row(standard, "九年制", "primary", 1500, 34),
                      _row(standard, "九年制", "junior", 1100, 22), _row(standard, "一中", "junior", 1900, 38)])
    sizes = {r.name: (r.limit, r.excess, r.new_schools) for r in size_relief(Cohorts.from_table(table), standard)}
    assert sizes == {"大小学": (2000, 2100, 2), "九年制": (2500, 100, 1)}
    data = limits_json(Cohorts.from_table(table), standard, load_costs().relief)
    assert data["schools"][0]["需分流或新建学校数"] == 2 and data["classes"] == []


def test_classes_and_places_are_costed_from_the_cost_file(standard):
    """A class added costs its classroom, a student moved out of an oversized school a place in a new
    one; both from `[relief]` (暂定), reported beside the resource additions."""
    table = to_table([_row(standard, "一小", "primary", 500, 10), _row(standard, "大小学", "primary", 2100, 47)])
    cohorts, relief = Cohorts.from_table(table), Relief(class_cost_wan=30.0, place_cost_wan=2.5, assumption="暂定")
    data = limits_json(cohorts, standard, relief)
    by_name = {r["学校名称"]: r["费用（万元）"] for r in data["classes"]}
    assert by_name == {"一小": 60.0}                       # 2 classes to add
    assert data["schools"][0]["费用（万元）"] == 250.0       # 100 students over 2000
    assert data["cost_wan"] == 310.0 and data["assumption"] == "暂定"
    text = "\n".join(limits_text(cohorts, standard, relief))
    assert "合计至少2个班，约60.00万元" in text and "需分流100人，约250.00万元" in text and "暂定" in text
    kashgar = load_costs().relief
    assert kashgar.class_cost_wan > 0 and kashgar.place_cost_wan > 0 and "待委员会确认" in kashgar.assumption
