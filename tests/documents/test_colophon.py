"""版记 on the last, even page (GB/T 9704 封四), page numbers continuous, nothing lost or repeated."""

import re

import pdfplumber
import pytest

from inspection.documents.pdf import PdfRenderer
from tests.documents.conftest import plain_document


@pytest.fixture(scope="module")
def renderer():
    return PdfRenderer()


def _first_layout(renderer, doc):
    """(pages, page where the last attachment starts, page where the text ends) of the layout before
    any 版记 move."""
    document = renderer._layout(renderer.html(doc))
    page_of = lambda anchor: next((k for k, p in enumerate(document.pages, 1) if anchor in p.anchors), None)
    return len(document.pages), page_of(f"attachment-{len(doc.attachments)}"), page_of("text-end")


# (body paragraphs, attachment paragraphs, what the first layout (pages n, last attachment's start s,
# text's end e) must be like to cover the branch)
CASES = {
    "even already: 版记 stays at the foot of the last text page": (26, (), lambda n, s, e: n % 2 == 0 and e == n),
    "even, 版记 alone on the last page": (25, (), lambda n, s, e: n % 2 == 0 and e == n - 1),
    "odd, no attachments: whole document laid out again": (15, (), lambda n, s, e: n % 2 == 1 and s is None and e == n),
    "odd, text ends on an even page: a blank page, then the 版记": (
        14, (), lambda n, s, e: n % 2 == 1 and s is None and e == n - 1),
    "odd, last attachment starts on an odd page": (1, (2, 3), lambda n, s, e: n % 2 == 1 and s % 2 == 1 and e == n),
    "odd, last attachment starts on an even page": (3, (2, 10), lambda n, s, e: n % 2 == 1 and s % 2 == 0 and e == n),
    "odd, last attachment ends on an even page: a blank page, then the 版记": (
        1, (2, 19), lambda n, s, e: n % 2 == 1 and s is not None and e == n - 1),
}


def _pages(path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [(p.extract_text() or "").replace(" ", "") for p in pdf.pages]


@pytest.mark.parametrize("case", CASES)
def test_colophon_closes_an_even_page_and_numbers_run_on(case, renderer, tmp_path):
    """GB/T 9704 7.5: pages are numbered on, a page holding only the 版记 too, except where a blank
    page comes before it (版记页前有空白页的，空白页和版记页均不编排页码)."""
    body, attachments, branch = CASES[case]
    doc = plain_document(body, attachments)
    assert branch(*_first_layout(renderer, doc)), "the case no longer exercises its branch; adjust its sizes"
    path = tmp_path / "doc.pdf"
    path.write_bytes(renderer.render(doc))
    pages = _pages(path)

    assert len(pages) % 2 == 0
    holding = [k for k, text in enumerate(pages, 1) if "抄送：" in text]
    assert holding == [len(pages)] and "2026年11月29日印发" in pages[-1]
    after_blank = pages[-2].strip() == ""
    for k, text in enumerate(pages, 1):
        numbers = re.findall(r"—(\d+)—", text)
        unnumbered = after_blank and k >= len(pages) - 1     # the blank page and the 版记's after it
        assert numbers == ([] if unnumbered else [str(k)]), (case, k, numbers, text[:30])
    everything = "".join(pages)
    tags = [f"【正{k}】" for k in range(1, body + 1)]
    tags += [f"【附{i}-{k}】" for i, n in enumerate(attachments, 1) for k in range(1, n + 1)]
    assert [everything.count(t) for t in tags] == [1] * len(tags)
    if "blank page" in case:
        assert after_blank and pages[-1].startswith("抄送：")
    elif "alone" in case:
        assert not after_blank and pages[-1].startswith("抄送：") and "【" in pages[-2]
