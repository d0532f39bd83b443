"""台账 (ledgers): every school indicator and county indicator of a county, met (已达标) or unmet (未达标).

One `CountyLedger` per county and year; rows are plain values so the XLSX writer, the monitoring
report and a test read the same thing. Unmet rows carry the shortfall and the rectification deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from inspection.documents.case import CountyCase
from inspection.documents.facts import requirement_text, value_text
from inspection.rules.county import CountyShortfall, county_shortfall
from inspection.standard import STAGE_ZH


@dataclass(frozen=True)
class LedgerRow:
    school: str                     # 全县 for county-level indicators
    stage: str                      # 小学 | 初中 | — (county level)
    indicator: str                  # id
    wording: str
    unit: str
    value: float | str
    threshold: float | str
    ratio: float | None             # value / threshold (resource indicators)
    met: bool | None                # None: 待核实
    shortfall: float | None = None
    shortfall_unit: str = ""
    shortfall_text: str = ""
    deadline: date | None = None
    sentence: str = ""


@dataclass(frozen=True)
class CountyLedger:
    county: str
    year: int
    recognition_year: int
    met: tuple[LedgerRow, ...]
    unmet: tuple[LedgerRow, ...]    # unmet and 待核实
    failing: tuple[tuple[str, str], ...] = ()   # (school, stage) failing the resource rule (资源配置未达标)

    def shortfall_totals(self) -> dict[str, tuple[float, str]]:
        """Sum of shortfall amounts per indicator id: {id: (amount, unit)}; rows without an amount are skipped."""
        out: dict[str, tuple[float, str]] = {}
        for r in self.unmet:
            if r.shortfall is not None:
                amount, _ = out.get(r.indicator, (0.0, r.shortfall_unit))
                out[r.indicator] = (amount + r.shortfall, r.shortfall_unit)
        return out


def build_ledger(case: CountyCase, deadline: date | None = None) -> CountyLedger:
    """All rows of a county's ledger; unmet rows get `deadline` (the letter's completion date)."""
    met, unmet, failing = [], [], []
    r = case.resources
    for i in range(len(r.table)):
        if not r.included[i]:
            continue
        school = r.school_result(i)
        if not school.passed:
            failing.append((school.name, STAGE_ZH[school.stage]))
        for c in school.checks:
            sf = c.shortfall
            row = LedgerRow(school.name, STAGE_ZH[school.stage], c.indicator.id, c.indicator.wording,
                            c.indicator.unit, round(c.value, 4), c.threshold, round(c.ratio, 4), c.met,
                            None if sf is None else round(sf.amount, 2), "" if sf is None else sf.unit,
                            "" if sf is None else sf.sentence(), None if c.met else deadline, c.sentence())
            (met if c.met else unmet).append(row)
    for res in case.county_results:
        ind = res.indicator
        value = res.value if isinstance(res.value, (int, float)) and not isinstance(res.value, bool) else value_text(res)
        sf = county_shortfall(res) or CountyShortfall(None, "", "")
        row = LedgerRow("全县", "—", ind.id, ind.wording, ind.unit.split("（")[0], value, requirement_text(ind),
                        None, res.met, sf.amount, sf.unit, sf.text, None if res.met else deadline, res.sentence)
        (met if res.met else unmet).append(row)
    return CountyLedger(case.county, case.year, case.recognition_year, tuple(met), tuple(unmet), tuple(failing))
