"""The evaluation's public shape (STANDARD.md §5), and a readable table of it for the terminal."""

from __future__ import annotations

from itertools import compress

import numpy as np

from inspection.rules.assessment import Assessment
from inspection.rules.resources import ResourceEvaluation
from inspection.standard import AREA_ZH, STAGE_ZH

CONCLUSION_ZH = {True: "达标", False: "未达标", None: "待核实"}


def _round(x: float) -> float:
    return round(float(x), 4)


def excluded_rows(result: ResourceEvaluation) -> list[dict]:
    """Rows the method leaves out, each with why: those dropped on reading (高中, no students) and
    those the standard's scope excludes (教学点 under the minimum, special-education schools)."""
    out = [dict(e) for e in result.table.excluded]
    for i in np.flatnonzero(~result.included):
        out.append({"name": result.table.names[i], "stage": str(result.table.stages[i]),
                    "reason": result.exclusion_reason(i)})
    return out


def evaluation_json(result: ResourceEvaluation) -> dict:
    """`{"schools": [...], "cv": {"primary": {...}, "junior": {...}}, "resource_passed": bool}`;
    rows outside the evaluation's scope are listed under "excluded" instead of "schools"."""
    table, ids, k = result.table, result.ids, len(result.ids)
    # Flat Python lists sliced per school, not NumPy scalars read one by one (50,000 schools × 7
    # indicators) nor a list per row (50,000 more objects for the collector to go through)
    names, stages, students = table.names, table.stages.tolist(), table.figures["students"].tolist()
    rounded = [round(v, 4) for v in result.values.ravel().tolist()]
    met, passed = result.met.ravel().tolist(), result.passed.tolist()
    schools = [{"name": names[i], "stage": stages[i], "students": int(students[i]),
                "indicators": dict(zip(ids, rounded[i * k:(i + 1) * k])),
                "met": list(compress(ids, met[i * k:(i + 1) * k])), "passed": passed[i]}
               for i in np.flatnonzero(result.included).tolist()]
    cv = {stage: {k: _round(v) for k, v in values.items()} for stage, values in result.cv_by_stage().items()}
    return {"schools": schools, "cv": cv, "resource_passed": result.resource_passed,
            "excluded": excluded_rows(result), "notes": list(result.table.notes)}


def _json_value(value):
    if isinstance(value, (bool, str)) or value is None:
        return value
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    return _round(value)


def assessment_json(a: Assessment) -> dict:
    """The whole verdict: the resource part, then `county_indicators` ({id: {value, met, source}}),
    `outcome` (met | not_met | pending | vetoed), `pending` (ids lacking data or a decision), the
    contradictions between declared and computed figures, and the veto findings considered."""
    return {**evaluation_json(a.resources),
            "county_indicators": {r.indicator.id: {"value": _json_value(r.value), "met": r.met, "source": r.source,
                                                   "evidence": r.evidence, "sentence": r.sentence,
                                                   "why_pending": r.why_pending}
                                  for r in a.county.results},
            "outcome": a.verdict.outcome, "pending": list(a.verdict.pending), "reasons": list(a.verdict.reasons),
            "contradictions": [c.zh for c in a.county.contradictions],
            "veto_findings": [{"condition": f.condition, "quote": f.quote, "status": f.status} for f in a.findings]}


def evaluation_text(result: ResourceEvaluation) -> str:
    """A plain-text table with Chinese labels; unmet values are marked with ✗."""
    ids = result.ids
    lines = ["学校名称\t学段\t在校生\t" + "\t".join(ids) + "\t结论"]
    for i in np.flatnonzero(result.included):
        name = result.table.names[i]
        cells = [f"{v:.2f}" + ("" if ok else "✗") for v, ok in zip(result.values[i], result.met[i])]
        verdict = "达标" if result.passed[i] else "未达标"
        lines.append(f"{name}\t{STAGE_ZH[str(result.table.stages[i])]}\t"
                     f"{int(result.table.figures['students'][i])}\t" + "\t".join(cells) + f"\t{verdict}")
    lines.append("")
    lines.append("校际差异系数（上限：小学{primary:.2f}，初中{junior:.2f}）".format(**result.standard.options.cv_limit))
    within = result.cv_within_limit      # the same comparison (with its tolerance) as the verdict's
    for g, ((_, stage), values) in enumerate(zip(result.group_labels, result.cv)):
        lines.append(f"{STAGE_ZH[stage]}\t" + "\t".join(
            f"{k} {v:.3f}" + ("" if ok else "✗") for k, v, ok in zip(ids, values, within[g])))
    for school in result.failing_schools():
        lines.append(f"✗ {school.name}（{STAGE_ZH[school.stage]}）：{school.reason}")
        lines += [f"    {c.sentence()}" for c in school.checks if not c.met]
    notes = list(result.table.notes)
    if notes:
        lines += ["", "说明："] + [f"  · {n}" for n in notes]
    excluded = excluded_rows(result)
    if excluded:
        lines += ["", "不纳入评估："] + [f"  · {e['name']}（{STAGE_ZH.get(e['stage'], e['stage'])}）：{e['reason']}"
                                       for e in excluded]
    lines.append("")
    lines.append("资源配置结论：" + ("达标" if result.resource_passed else "未达标"))
    return "\n".join(lines)


def assessment_text(a: Assessment) -> str:
    """The resource table, then each county-level indicator by area, then the whole verdict."""
    lines = [evaluation_text(a.resources), ""]
    by_area: dict[str, list] = {}
    for r in a.county.results:
        by_area.setdefault(r.indicator.area, []).append(r)
    for area, results in by_area.items():
        met = sum(r.met is True for r in results)
        lines.append(f"{AREA_ZH[area]}（{len(results)}项：{met}项达标，"
                     f"{sum(r.met is False for r in results)}项未达标，{sum(r.met is None for r in results)}项待核实）")
        for r in results:
            mark = {True: "✓", False: "✗", None: "?"}[r.met]
            source = f"  〔{r.source}〕" if r.source else ""
            assumption = f"  （暂定，待委员会确认：{r.indicator.verify}）" if r.indicator.verify else ""
            lines.append(f"  {mark} {r.sentence}{source}{assumption}")
    for c in a.county.contradictions:
        lines.append(f"⚠ {c.zh}")
    lines.append("")
    lines.append(f"评估结论：{a.verdict.label}")
    if a.verdict.pending:
        lines.append("待核实指标：" + "、".join(a.verdict.pending))
    if a.verdict.outcome in ("not_met", "vetoed"):
        lines += [f"  · {r}" for r in a.verdict.reasons]
    return "\n".join(lines)
