"""The evaluation's public shape (STANDARD.md §5), and a readable table of it for the terminal."""

from __future__ import annotations

from inspection.rules.resources import ResourceEvaluation
from inspection.standard import STAGE_ZH


def _round(x: float) -> float:
    return round(float(x), 4)


def evaluation_json(result: ResourceEvaluation) -> dict:
    """`{"schools": [...], "cv": {"primary": {...}, "junior": {...}}, "resource_passed": bool}`."""
    schools = []
    for i, name in enumerate(result.table.names):
        schools.append({
            "name": name,
            "stage": str(result.table.stages[i]),
            "students": int(result.table.figures["students"][i]),
            "indicators": {k: _round(v) for k, v in zip(result.ids, result.values[i])},
            "met": [k for k, ok in zip(result.ids, result.met[i]) if ok],
            "passed": bool(result.passed[i]),
        })
    cv = {stage: {k: _round(v) for k, v in values.items()} for stage, values in result.cv_by_stage().items()}
    return {"schools": schools, "cv": cv, "resource_passed": result.resource_passed}


def evaluation_text(result: ResourceEvaluation) -> str:
    """A plain-text table with Chinese labels; unmet values are marked with ✗."""
    ids = result.ids
    lines = ["学校名称\t学段\t在校生\t" + "\t".join(ids) + "\t结论"]
    for i, name in enumerate(result.table.names):
        cells = [f"{v:.2f}" + ("" if ok else "✗") for v, ok in zip(result.values[i], result.met[i])]
        verdict = "达标" if result.passed[i] else "未达标"
        lines.append(f"{name}\t{STAGE_ZH[str(result.table.stages[i])]}\t"
                     f"{int(result.table.figures['students'][i])}\t" + "\t".join(cells) + f"\t{verdict}")
    lines.append("")
    lines.append("校际差异系数（上限：小学{primary:.2f}，初中{junior:.2f}）".format(**result.standard.options.cv_limit))
    for stage, values in result.cv_by_stage().items():
        if values:
            limit = result.standard.options.cv_limit[stage]
            lines.append(f"{STAGE_ZH[stage]}\t" + "\t".join(
                f"{k} {v:.3f}" + ("" if v <= limit else "✗") for k, v in values.items()))
    for school in result.failing_schools():
        lines.append(f"✗ {school.name}（{STAGE_ZH[school.stage]}）：{school.reason}")
        lines += [f"    {c.sentence()}" for c in school.checks if not c.met]
    lines.append("")
    lines.append("资源配置结论：" + ("达标" if result.resource_passed else "未达标"))
    return "\n".join(lines)
