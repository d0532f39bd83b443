import io

from PIL import Image

from inspection.documents.charts import CvChart, ProgressChart, TimelineChart, render_png


def _ink(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:200]) / (image.width * image.height)


def test_every_chart_draws_something(letter):
    charts = [letter.indicator_chart, letter.cv_chart,
              TimelineChart((("泽普县", 2025, "overdue"), ("莎车县", 2034, "planned")), as_of_year=2026),
              ProgressChart((("泽普县（2025）", 0.95), ("莎车县（2034）", 0.2)))]
    for chart in charts:
        png = render_png(chart, 156.0)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert Image.open(io.BytesIO(png)).width == round(156 / 25.4 * 200)
        assert _ink(png) > 0.01, type(chart).__name__


def test_cv_chart_handles_a_single_stage():
    assert render_png(CvChart(("R1",), (0.3,), None, (0.5, 0.45)), 100.0)
