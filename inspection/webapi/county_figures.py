"""County-level indicators on the web (县级指标填报): the same figures as the workbook's 县级指标 sheet,
shown with their current value, source and result, and saved one by one with a confirmation."""

from __future__ import annotations

from inspection.access import Principal
from inspection.db import repo
from inspection.errors import InspectionError
from inspection.forms import requirement
from inspection.ingest.county_sheet import ValueProblem, parse_value, parse_years, written
from inspection.rules.county import DEMO_DATA, ENTERED_ON_WEB, CountyFigure
from inspection.table import Provenance
from inspection.standard import AREA_ZH
from inspection.webapi._base import CountyRef, acting, context
from inspection.webapi.review import COUNTY_MAY_CORRECT, _years, reevaluate


def _text(value: object, ind) -> str:
    """A stored single figure as the form's text (a multi-year one has its own year fields)."""
    if value is None or ind.multi_year:
        return ""
    shown = written(value)
    return f"{shown:g}" if isinstance(shown, float) else str(shown)


def _source_en(row) -> str:
    """Where a stored county figure came from, in English: from its structured provenance (file, page,
    table, row, column, cell) or the web form / demo words; "" when neither says (the page shows the Chinese)."""
    if row.provenance:
        prov = {k: v for k, v in row.provenance.items() if k in Provenance.__dataclass_fields__ and k != "parts"}
        return Provenance(**prov).describe_en()
    for zh, en in (ENTERED_ON_WEB, DEMO_DATA):
        if row.source == zh.format(who=row.updated_by, year=row.year):
            return en.format(who=row.updated_by, year=row.year)
    return ""


def county_indicator_form(principal: Principal, county: CountyRef = None, year: int | None = None) -> dict:
    """Every county-level indicator of the standard for a year: its requirement, the county's current
    figure (as written, with evidence and source) and, once evaluated, the result and its sentence."""
    with acting(principal, "county.figures", county) as (session, me, row):
        ctx = context(me.username)
        years = _years(session, row.id)
        year = year or (years[0] if years else ctx.as_of.year)
        stored = {r.indicator_id: r for r in repo.county_figure_rows(session, county=row, year=year)}
        ev = repo.evaluation_for_year(session, county=row, year=year)
        results = ev.result.get("county_indicators", {}) if ev else {}
        out = []
        for ind in ctx.standard.county_indicators:
            mine = stored.get(ind.id)
            value = (mine.value or {}).get("v") if mine else None
            res = results.get(ind.id, {})
            out.append({"id": ind.id, "area": ind.area, "area_zh": AREA_ZH[ind.area], "wording": ind.wording,
                        "requirement": requirement(ind), "unit": ind.unit, "judged": ind.judged,
                        "computed": bool(ind.computed), "scale": list(ind.scale or ()),
                        "years": list(range(year - ind.years + 1, year + 1)) if ind.multi_year else [],
                        "value": value, "text": _text(value, ind),
                        "evidence": mine.evidence if mine else "", "source": mine.source if mine else "",
                        "source_en": _source_en(mine) if mine else "",
                        "met": res.get("met"), "sentence": res.get("sentence", ""),
                        "assumption": ind.verify or ""})
        return {"county": row.name, "year": year, "years": years, "stage": row.stage,
                "may_edit": me.role == "committee" or row.stage in COUNTY_MAY_CORRECT,
                "evaluation_id": ev.id if ev else None, "outcome": ev.outcome if ev else None,
                "indicators": out}


def save_county_indicator(principal: Principal, county: CountyRef = None, *, year: int, indicator_id: str,
                          value: str | dict[int, str], evidence: str = "") -> dict:
    """Save one county-level figure (written as in the 县级指标 sheet; {year: text} for a multi-year
    one), audited, and evaluate the year again. Returns what was saved and the new outcome."""
    with acting(principal, "figure.correct", county) as (session, me, row):
        ctx = context(me.username)
        if me.role == "county" and row.stage not in COUNTY_MAY_CORRECT:
            raise InspectionError("材料已提交地区督导评估，不能再修改；如有错误请联系地区督导室。",
                                  "the round is under review; ask the committee to correct it.")
        try:
            ind = ctx.standard.indicator(indicator_id)
        except InspectionError:
            raise InspectionError(f"没有编号为{indicator_id}的县级指标。", f"no county indicator {indicator_id}.") from None
        try:
            if ind.multi_year:
                given = {int(y): str(t).strip() for y, t in (value or {}).items() if str(t).strip()}
                number = parse_years(ind, given) if given else None
            else:
                number = parse_value(ind, str(value)) if str(value or "").strip() else None
        except ValueProblem as problem:
            raise InspectionError(f"{ind.id}：{problem.zh}", f"{ind.id}: {problem.en}") from None
        if number is None:
            raise InspectionError(f"{ind.id}：请填写数值后再保存。", f"{ind.id}: enter a value to save.")
        before = repo.load_county_figures(session, county=row, year=year).get(ind.id)
        repo.store_county_figures(session, county=row, year=year, actor=me.username, figures={
            ind.id: CountyFigure(number, evidence.strip(), ENTERED_ON_WEB[0].format(who=me.username))})
        table = repo.load_school_table(session, county=row, year=year)
        evaluation = reevaluate(session, me, row, year) if table is not None else None
        result = (evaluation.result.get("county_indicators", {}).get(ind.id, {}) if evaluation else {})
        return {"id": ind.id, "before": None if before is None else before.value, "after": number,
                "text": _text(number, ind), "met": result.get("met"), "sentence": result.get("sentence", ""),
                "outcome": evaluation.outcome if evaluation else None}
