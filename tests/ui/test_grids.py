"""The dashboard's timeline and heatmap, drawn as HTML tables (inspection/ui/grids.py)."""

import re
import xml.etree.ElementTree as ET

from inspection.ui import grids

STAGES = ["plan_submission", "annual_monitoring", "self_assessment", "rectification"]
ROWS = [{"county": "泽普县", "target_year": 2025, "stage": "rectification", "stage_label": "问责整改"},
        {"county": "巴楚县", "target_year": 2027, "stage": "annual_monitoring", "stage_label": "年度监测"},
        {"county": "莎车县", "target_year": 2034, "stage": "annual_monitoring", "stage_label": "年度监测"}]


def _table(markup: str) -> ET.Element:
    return ET.fromstring(markup[:markup.index("</table>") + len("</table>")])


def _body(table: ET.Element) -> list[list[ET.Element]]:
    return [list(tr) for tr in table.find("tbody")]


def test_the_timeline_spans_the_counties_years_and_dots_each_countys_year_only():
    table = _table(grids.timeline(ROWS, STAGES, 2026))
    heads = [th.text for th in table.find("thead/tr")][1:]
    assert heads == [f"{y % 100:02d}" for y in range(2025, 2035)]
    for row, cells in zip(ROWS, _body(table)):
        assert cells[0].text == row["county"]
        dotted = [y for y, td in zip(range(2025, 2035), cells[1:]) if td.find("span") is not None]
        assert dotted == [row["target_year"]]
    shaded = [k for k, th in enumerate(table.find("thead/tr")) if th.get("class") == "now"]
    assert shaded == [2]                                     # 2026, after the county column and 2025


def test_each_stage_has_one_colour_and_the_legend_lists_the_stages_shown_in_cycle_order():
    markup = grids.timeline(ROWS, STAGES, 2026)
    colours = {row["county"]: re.search(rf'background:(#\w+)" title="{row["county"]}', markup).group(1)
               for row in ROWS}
    assert colours["巴楚县"] == colours["莎车县"] != colours["泽普县"]
    legend = ET.fromstring(markup[markup.index('<div class="jh-legend">'):])
    assert "".join(legend.itertext()).split() == ["年度监测", "问责整改"]


def test_names_are_escaped():
    markup = grids.timeline([{**ROWS[0], "county": "<b>县</b>"}], STAGES, 2026)
    assert "<b>" not in markup and "&lt;b&gt;县&lt;/b&gt;" in markup


def test_the_heatmap_shows_each_share_as_a_percentage_coloured_red_to_green():
    cells = [{"county": "泽普县", "indicator": i, "share": s} for i, s in (("R1", 1.0), ("R2", 0.5), ("R10", 0.0))]
    cells.append({"county": "巴楚县", "indicator": "R1", "share": 0.874})
    table = _table(grids.heatmap(cells, ["泽普县", "巴楚县", "无数据县"]))
    assert [th.text for th in table.find("thead/tr")][1:] == ["R1", "R2", "R10"]     # R10 after R2
    body = _body(table)
    assert [r[0].text for r in body] == ["泽普县", "巴楚县"]                          # no row without data
    assert [td.text for td in body[0][1:]] == ["100", "50", "0"]
    assert [td.text for td in body[1][1:]] == ["87", "—", "—"]
    assert grids.share_colour(1.0) == "#1a9850" and grids.share_colour(0.0) == "#d73027"
    assert grids.share_colour(0.5) == "#fee08b" and grids.share_colour(7) == "#1a9850"
    assert "background:#1a9850" in body[0][1].get("style") and "background:#d73027" in body[0][3].get("style")


def test_the_counties_table_keeps_its_columns_and_only_the_named_one_wraps():
    rows = [{"县市": "泽普县", "下一期限": "2027-03-03 问责案件1", "问责": 2},
            {"县市": "<i>巴楚县</i>", "下一期限": "—", "问责": 0}]
    table = next(ET.fromstring(grids.table(rows, wrap="下一期限")).iter("table"))
    assert [th.text for th in table.find("thead/tr")] == ["县市", "下一期限", "问责"]
    body = _body(table)
    assert [[td.text for td in tr] for tr in body] == [["泽普县", "2027-03-03 问责案件1", "2"], ["<i>巴楚县</i>", "—", "0"]]
    assert [td.get("class") for td in body[0]] == [None, "wrap", None]
    assert grids.table([]) == ""
