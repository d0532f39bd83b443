import io

from PIL import Image

from inspection.documents.charts import CvChart, ProgressChart, TimelineChart, drawn_figure, render_png


def _ink(png: bytes) -> float:
    image = Image.open(io.BytesIO(png)).convert("L")
    return sum(image.histogram()[:200]) / (image.width * image.height)


def _charts(letter) -> list:
    return [letter.indicator_chart, letter.cv_chart,
            TimelineChart((("泽普县", 2025, "overdue"), ("莎车县", 2034, "planned")), as_of_year=2026),
            ProgressChart((("泽普县（2025）", 0.95), ("莎车县（2034）", 0.2)))]


def test_every_chart_draws_something(letter):
    for chart in _charts(letter):
        png = render_png(chart, 156.0)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert Image.open(io.BytesIO(png)).width == round(156 / 25.4 * 200)
        assert _ink(png) > 0.01, type(chart).__name__


def test_cv_chart_handles_a_single_stage():
    assert render_png(CvChart(("R1",), (0.3,), None, (0.5, 0.45)), 100.0)


def test_no_label_is_cut_at_the_edge_of_a_chart(letter):
    """Every text (the lines' labels 标准 and 85% at the right of figure 1 among them) lies inside the
    figure, measured from matplotlib's own layout of it."""
    for chart in _charts(letter):
        fig = drawn_figure(chart, 156.0)
        renderer, edge = fig.canvas.get_renderer(), fig.bbox
        for text in fig.findobj(lambda a: hasattr(a, "get_text") and a.get_visible() and a.get_text()):
            box = text.get_window_extent(renderer)
            assert edge.x0 <= box.x0 and box.x1 <= edge.x1 and edge.y0 <= box.y0 and box.y1 <= edge.y1, \
                (type(chart).__name__, text.get_text(), box, edge)
