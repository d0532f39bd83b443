"""Rendering processes: a document rendered ahead in forked processes, and failures there."""

import pytest

from inspection.documents import Figure, Issue, OfficialDocument, Paragraph, RenderAhead
from inspection.documents.charts import CvChart
from inspection.documents.model import DocNumber
from inspection.errors import RenderError
from tests.documents.conftest import ISSUED, pdf_text


def _doc(*body) -> OfficialDocument:
    return OfficialDocument("letter", Issue("测试督导委员会", DocNumber("测督", 2026, 3), ISSUED), "预先渲染测试",
                            "测试县人民政府：", body)


def test_render_ahead_writes_the_document_with_its_charts(tmp_path):
    doc = _doc(Paragraph("正文第一段。"), Figure("图1  差异系数", CvChart(("R1",), (0.31,), (0.52,), (0.50, 0.45))))
    with RenderAhead("pdf") as ahead:
        path = ahead.write(doc, tmp_path / "ahead.pdf")
    text = pdf_text(path)
    assert "预先渲染测试" in text and "测督〔2026〕3号" in text and "图1差异系数" in text


def test_a_failure_in_the_render_process_arrives_as_a_render_error(tmp_path):
    doc = _doc(Figure("图1  坏图", "not a chart"))       # neither the chart process nor the renderer can draw it
    with RenderAhead("pdf") as ahead, pytest.raises(RenderError) as caught:
        ahead.write(doc, tmp_path / "bad.pdf")
    assert caught.value.zh.startswith("生成PDF失败（预先渲染测试）") and caught.value.details == {"kind": "letter"}
    assert not (tmp_path / "bad.pdf").exists()


def test_an_unsupported_format_is_refused_before_anything_forks():
    with pytest.raises(RenderError, match="不支持的格式"):
        RenderAhead("odt")


def _processes(ahead: RenderAhead) -> list:
    return list(ahead._render._processes.values())


def test_both_processes_have_ended_when_the_block_ends(tmp_path):
    """Waited for, so nothing is left for Python's exit hook to race (a stray EBADF traceback)."""
    with RenderAhead("pdf") as ahead:
        processes = _processes(ahead)
        ahead.write(_doc(Paragraph("正文。")), tmp_path / "ahead.pdf")
    assert len(processes) == 1 and not any(p.is_alive() for p in processes)


def test_a_failure_before_the_document_stops_the_processes_still_loading():
    with pytest.raises(KeyError), RenderAhead("pdf") as ahead:
        processes = _processes(ahead)
        raise KeyError("the table could not be read")
    assert len(processes) == 1 and not any(p.is_alive() for p in processes)
