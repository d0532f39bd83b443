"""版记 on the last, even page (GB/T 9704 封四), page numbers continuous, nothing lost or repeated."""

import re

import pdfplumber
import pytest

from inspection.documents import Attachment, Issue, OfficialDocument, Paragraph
from inspection.documents.model import DocNumber
from inspection.documents.pdf import PdfRenderer
from tests.documents.conftest import ISSUED

LINE = "县域义务教育优质均衡发展督导评估整改事项逐项落实到校到人，按期报送整改情况。"


def _doc(body: int, attachments: tuple[int, ...] = ()) -> OfficialDocument:
    """A document of `body` numbered paragraphs and attachments of so many paragraphs each."""
    paras = lambda tag, n: tuple(Paragraph(f"【{tag}{k}】{LINE}") for k in range(1, n + 1))
    return OfficialDocument(
        "letter", Issue("测试督导委员会", DocNumber("测督", 2026, 1), ISSUED, copy_to=("自治区督导办",)),
        "版记测试", "测试县人民政府：", paras("正", body),
        tuple(Attachment(f"附件{i}", paras(f"附{i}-", n)) for i, n in enumerate(attachments, 1)))


@pytest.fixture(scope="module")
def renderer():
    return PdfRenderer()


def _first_layout(renderer, doc):
    """(pages, page where the last attachment starts) of the layout before any 版记 move."""
    document = renderer._layout(renderer.html(doc))
    last = f"attachment-{len(doc.attachments)}"
    start = next((k for k, p in enumerate(document.pages, 1) if last in p.anchors), None)
    return len(document.pages), start


# (body paragraphs, attachment paragraphs, what the first layout must be like to cover the branch)
CASES = {
    "even already: 版记 stays at the foot of the last text page": (14, (), lambda n, s: n % 2 == 0),
    "odd, no attachments: whole document laid out again": (3, (), lambda n, s: n % 2 == 1 and s is None),
    "odd, last attachment starts on an odd page": (3, (2, 3), lambda n, s: n % 2 == 1 and s % 2 == 1),
    "odd, last attachment starts on an even page": (3, (16,), lambda n, s: n % 2 == 1 and s % 2 == 0),
}


def _pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]


@pytest.mark.parametrize("case", CASES)
def test_colophon_closes_an_even_page_and_numbers_run_on(case, renderer, tmp_path):
    body, attachments, branch = CASES[case]
    doc = _doc(body, attachments)
    assert branch(*_first_layout(renderer, doc)), "the case no longer exercises its branch; adjust its sizes"
    path = tmp_path / "doc.pdf"
    path.write_bytes(renderer.render(doc))
    pages = _pages(path)

    assert len(pages) % 2 == 0
    holding = [k for k, text in enumerate(pages, 1) if "抄送：" in text]
    assert holding == [len(pages)] and "2026年11月29日印发" in pages[-1]
    for k, text in enumerate(pages, 1):
        numbers = re.findall(r"—(\d+)—", text)
        assert numbers in ([str(k)], []), (k, numbers)
        if numbers == [] and k != len(pages):          # only a blank page may go without a number
            assert text.strip() == "", (k, text[:40])
    everything = "".join(pages)
    tags = [f"【正{k}】" for k in range(1, body + 1)]
    tags += [f"【附{i}-{k}】" for i, n in enumerate(attachments, 1) for k in range(1, n + 1)]
    assert [everything.count(t) for t in tags] == [1] * len(tags)


def test_a_colophon_alone_on_its_page_has_no_page_number(renderer, tmp_path):
    doc = _doc(3)
    path = tmp_path / "doc.pdf"
    path.write_bytes(renderer.render(doc))
    pages = _pages(path)
    assert len(pages) == 2 and "【正3】" in pages[0] and "【正" not in pages[1]
    assert "—" not in pages[1] and pages[1].startswith("抄送：")
