"""Annual monitoring's outputs as data: the met and unmet ledgers (已达标台账 / 未达标台账) and the
progress report to the county people's congress (向县人民代表大会报告创建工作进度), 方案五（一）（三）.

Built from a stored evaluation result and the standard; the XLSX/DOCX renderers (inspection/documents)
turn these dictionaries into files. Pure: no database, no I/O.
"""

from __future__ import annotations

from typing import Mapping

from inspection.rules.resources import within_cv_limit
from inspection.standard import STAGE_ZH, Standard


def _thresholds(standard: Standard) -> dict[str, dict[str, float]]:
    return {i.id: dict(i.threshold) for i in standard.resource_indicators}


def build_ledgers(result: Mapping, standard: Standard) -> dict:
    """Split an evaluation into what is met and what is not, each unmet item with its gap."""
    thresholds = _thresholds(standard)
    met: dict[str, list] = {"schools": [], "cv": [], "county": []}
    unmet: dict[str, list] = {"schools": [], "cv": [], "county": [], "pending": []}
    for s in result.get("schools", []):
        row = {"school": s["name"], "stage": s["stage"], "students": s["students"], "values": s["indicators"]}
        if s["passed"] and len(s["met"]) == len(s["indicators"]):
            met["schools"].append(row)
            continue
        gaps = []
        for ind, value in s["indicators"].items():
            if ind not in s["met"]:
                limit = thresholds.get(ind, {}).get(s["stage"])
                gaps.append({"indicator": ind, "value": value, "threshold": limit,
                             "gap": None if limit is None else round(limit - value, 4)})
        (unmet if not s["passed"] else met)["schools"].append({**row, "unmet": gaps, "passed": s["passed"]})
    limits = standard.options.cv_limit
    for stage, values in result.get("cv", {}).items():
        for ind, value in values.items():
            item = {"stage": stage, "indicator": ind, "value": value, "limit": limits[stage]}
            (met if value is not None and within_cv_limit(value, limits[stage]) else unmet)["cv"].append(item)
    for ind, r in result.get("county_indicators", {}).items():
        item = {"indicator": ind, "value": r.get("value"), "sentence": r.get("sentence", "")}
        {True: met["county"], False: unmet["county"]}.get(r.get("met"), unmet["pending"]).append(item)
    return {"met": met, "unmet": unmet}


def progress_summary(result: Mapping, *, county: str, year: int, target_year: int,
                     cv_limit: Mapping[str, float], previous: Mapping | None = None) -> dict:
    """The figures a progress report gives, and the report's paragraph in Chinese."""
    schools = result.get("schools", [])
    failing = [s for s in schools if not s["passed"]]
    cv_over = [f"{STAGE_ZH.get(st, st)}{k}" for st, vals in result.get("cv", {}).items() for k, v in vals.items()
               if v is not None and not within_cv_limit(v, cv_limit[st])]
    county_unmet = sorted(i for i, r in result.get("county_indicators", {}).items() if r.get("met") is False)
    pending = sorted(i for i, r in result.get("county_indicators", {}).items() if r.get("met") is None)
    prev_failing = None if previous is None else sum(1 for s in previous.get("schools", []) if not s["passed"])
    years_left = target_year - year
    parts = [f"{county}{year}年度义务教育优质均衡发展创建工作进度：全县{len(schools)}个学校学段中，"
             f"{len(schools) - len(failing)}个资源配置达标，{len(failing)}个未达标"]
    if prev_failing is not None:
        delta = prev_failing - len(failing)
        parts.append(f"未达标数较上年{'减少' if delta >= 0 else '增加'}{abs(delta)}个")
    if cv_over:
        parts.append(f"校际差异系数超限：{'、'.join(cv_over)}")
    if county_unmet:
        parts.append(f"县级指标未达标：{'、'.join(county_unmet)}")
    if pending:
        parts.append(f"{len(pending)}项县级指标待提供数据")
    if years_left > 0:
        parts.append(f"距创建年份{target_year}年还有{years_left}年")
    elif years_left == 0:
        parts.append("今年为创建年份")
    else:
        parts.append(f"已超过创建年份{target_year}年")
    return {"county": county, "year": year, "target_year": target_year, "years_left": years_left,
            "schools": len(schools), "passing": len(schools) - len(failing), "failing": len(failing),
            "failing_previous_year": prev_failing, "cv_over_limit": cv_over, "county_unmet": county_unmet,
            "county_pending": pending, "text": "；".join(parts) + "。"}
