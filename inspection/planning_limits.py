"""School size and class size (校额、班额, G4 and G5): what relieves a school over 2000/2500 students
or classes over 45/50 — classes to add, places short, new schools (方案三（二）2: 新建学校、学区调整、
控制招生计划).

    classes  a row of S students needs at least ⌈S / limit⌉ classes (certain, whatever its grades):
             the classes to add are that less the classes it has, and the places short
             S − classes × limit (the students its present classes cannot seat). By grade, a grade of
             g students needs ⌈g / limit⌉: the sum over the grades (from `Cohorts`, spread evenly
             when the table has none) is given beside it as an estimate.
    size     a school's students (both rows of a nine-year school) over its limit must move or be
             seated in a new school: ⌈excess / limit⌉ new schools of at most the limit each.

Each is costed with the cost file's `[relief]` (a class's classroom, a place in a new school; marked
暂定) beside the resource additions, not added to them: a classroom may be built within the teaching
space R4 already asks for.

Pure: cohorts, the standard and the unit costs in, the figures out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from inspection.numerals import fmt_amount
from inspection.planning import Relief
from inspection.planning_cohorts import Cohorts
from inspection.standard import STAGE_ZH, Standard


@dataclass(frozen=True)
class ClassRelief:
    name: str
    stage: str
    students: int
    classes: int
    limit: int
    classes_needed: int
    places_short: int
    by_grade: int

    @property
    def classes_to_add(self) -> int:
        return max(0, self.classes_needed - self.classes)

    def as_json(self) -> dict:
        return {"学校名称": self.name, "学段": STAGE_ZH[self.stage], "在校学生数": self.students,
                "班级数": self.classes, "班额上限": self.limit, "需班级数": self.classes_needed,
                "需增加班级数": self.classes_to_add, "现有班级缺学位数": self.places_short,
                "按年级估计需班级数": self.by_grade}


@dataclass(frozen=True)
class SizeRelief:
    name: str
    students: int
    limit: int

    @property
    def excess(self) -> int:
        return max(0, self.students - self.limit)

    @property
    def new_schools(self) -> int:
        return math.ceil(self.excess / self.limit)

    def as_json(self) -> dict:
        return {"学校名称": self.name, "在校学生数": self.students, "规模上限": self.limit,
                "超出人数": self.excess, "需分流或新建学校数": self.new_schools}


def class_relief(cohorts: Cohorts, standard: Standard) -> list[ClassRelief]:
    """Rows whose grades need more classes than they have, or whose classes cannot seat them."""
    table, limits = cohorts.table, standard.options.class_size_limit
    classes = table.figures.get("classes")
    if classes is None:
        return []
    out = []
    for i, grades in enumerate(cohorts.grades):
        stage, have = str(table.stages[i]), classes[i]
        if not np.isfinite(have):
            continue
        limit = limits[stage]
        students = int(round(grades.sum()))
        relief = ClassRelief(table.names[i], stage, students, int(have), limit, math.ceil(students / limit),
                             max(0, students - int(have) * limit), int(sum(math.ceil(round(g) / limit) for g in grades)))
        if relief.classes_to_add or relief.places_short:
            out.append(relief)
    return out


def size_relief(cohorts: Cohorts, standard: Standard) -> list[SizeRelief]:
    """Schools over their size limit (a two-row school against the nine-year limit)."""
    limits, students = standard.options.school_size_limit, cohorts.students()
    out = []
    for name, rows in cohorts.table.schools().items():
        limit = limits["through"] if len(rows) > 1 else limits["single"]
        size = int(round(sum(students[i] for i in rows)))
        if size > limit:
            out.append(SizeRelief(name, size, limit))
    return out


def _wan(x: float) -> float:
    return round(x, 2)


def limits_json(cohorts: Cohorts, standard: Standard, relief: Relief) -> dict:
    """The rows to relieve, each with its cost (费用（万元）), and the total (`cost_wan`)."""
    classes, sizes = class_relief(cohorts, standard), size_relief(cohorts, standard)
    rows = ([{**r.as_json(), "费用（万元）": _wan(r.classes_to_add * relief.class_cost_wan)} for r in classes],
            [{**r.as_json(), "费用（万元）": _wan(r.excess * relief.place_cost_wan)} for r in sizes])
    return {"classes": rows[0], "schools": rows[1],
            "cost_wan": _wan(sum(r["费用（万元）"] for part in rows for r in part)), "assumption": relief.assumption}


def limits_text(cohorts: Cohorts, standard: Standard, relief: Relief) -> list[str]:
    classes, sizes = class_relief(cohorts, standard), size_relief(cohorts, standard)
    added, excess = sum(r.classes_to_add for r in classes), sum(r.excess for r in sizes)
    lines = [f"班额：{len(classes)}个学校（学段）需增加班级，合计至少{added}个班，约{fmt_amount(added * relief.class_cost_wan, '万元')}万元"]
    lines += [f"  {r.name}（{STAGE_ZH[r.stage]}）：{r.students}人{r.classes}个班，限{r.limit}人/班，至少需{r.classes_needed}个班，"
              f"增加{r.classes_to_add}个（按年级估计需{r.by_grade}个班）" for r in classes]
    lines.append(f"校额：{len(sizes)}所学校超规模，需分流{excess}人，约{fmt_amount(excess * relief.place_cost_wan, '万元')}万元")
    lines += [f"  {r.name}：{r.students}人，限{r.limit}人，超出{r.excess}人，需分流或新建学校{r.new_schools}所"
              for r in sizes]
    if classes or sizes:
        lines.append(f"  （班额、校额费用单独列示，不计入资源配置补充；单价暂定：{relief.assumption}）")
    return lines
