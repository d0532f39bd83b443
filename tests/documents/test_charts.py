import io
import xml.etree.ElementTree as ET

import pdfplumber
from PIL import Image

from inspection.documents.charts import (DARK_RED, GREY, RED, CvChart, IndicatorChart, ProgressChart, TimelineChart,
                                         render_png, svg, svg_uri)

SVG = "{http://www.w3.org/2000/svg}"
MM = 25.4 / 72


def _ink(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:200]) / (image.width * image.height)


def _charts(letter) -> list:
    return [letter.indicator_chart, letter.cv_chart,
            TimelineChart((("泽普县", 2025, "overdue"), ("塔什库尔干塔吉克自治县", 2031, "planned"),
                           ("莎车县", 2034, "planned")), as_of_year=2026),
            ProgressChart((("泽普县（2025）", 0.95), ("塔什库尔干塔吉克自治县（2031）", 1.0), ("莎车县（2034）", 0.2)))]


def test_every_chart_is_an_svg_of_its_size_and_draws_as_a_picture_for_the_docx(letter):
    for chart in _charts(letter):
        root = ET.fromstring(svg(chart, 156.0))
        assert root.get("viewBox") == f"0 0 156.0 {chart.height_mm}" and root.get("width") == "156.0mm"
        assert root.findall(f"{SVG}text"), type(chart).__name__
        png = render_png(chart, 156.0)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert abs(Image.open(io.BytesIO(png)).width - 156 / 25.4 * 200) <= 1          # 200 dpi
        assert _ink(png) > 0.01, type(chart).__name__


def test_cv_chart_handles_a_single_stage():
    assert render_png(CvChart(("R1",), (0.3,), None, (0.5, 0.45)), 100.0)


def test_each_school_is_one_bar_coloured_by_how_far_it_reaches():
    chart = IndicatorChart(("R1\n高学历教师", "R2\n骨干教师"), ((0.5, 0.9, 1.0, 1.4), (1.1, 2.5)))
    fills: dict[str, int] = {}
    for path in ET.fromstring(svg(chart, 156.0)).findall(f"{SVG}path"):
        fills[path.get("fill")] = fills.get(path.get("fill"), 0) + path.get("d").count("M")
    assert fills == {DARK_RED: 1, RED: 1, GREY: 4}        # below 85 %; 85–100 %; at or above the standard
    texts = [t.text for t in ET.fromstring(svg(chart, 156.0)).findall(f"{SVG}text")]
    assert "未达标2" in texts and "全部达标" in texts and "标准" in texts and "85%" in texts


def test_no_label_is_cut_at_the_edge_of_a_chart(letter, tmp_path):
    """Every character (the lines' labels 标准 and 85% at the right of figure 1 among them) lies inside
    the figure, measured from WeasyPrint's rendering of the chart on a page of its own size."""
    from weasyprint import HTML
    for k, chart in enumerate(_charts(letter)):
        page = (f"<style>@page {{size: 156mm {chart.height_mm}mm; margin: 0}} body {{margin: 0}} img {{display: block;"
                f" width: 156mm}}</style><img src=\"{svg_uri(chart, 156.0)}\">")
        path = tmp_path / f"chart{k}.pdf"
        HTML(string=page).write_pdf(path)
        with pdfplumber.open(path) as pdf:
            p = pdf.pages[0]
            chars = p.chars
            assert chars, type(chart).__name__
            outside = [c["text"] for c in chars
                       if c["x0"] < -0.1 or c["x1"] > p.width + 0.1 or c["top"] < -0.1 or c["bottom"] > p.height + 0.1]
            assert not outside, (type(chart).__name__, "".join(outside))
        assert "塔什库尔干塔吉克自治县" in "".join(c["text"] for c in chars) or k < 2
