"""PDF renderer (WeasyPrint + Jinja2): an `OfficialDocument` → PDF bytes laid out after GB/T 9704.

Templates resolve by name in `templates/`: `{kind}-{county}.html`, then `{kind}.html`, then
`document.html`, so a county's special letter is a template file, not a branch. The stylesheet
`official.css.j2` is rendered once with the font lists of `inspection.documents.fonts`.

One `PdfRenderer` keeps one `FontConfiguration`, one parsed stylesheet and one Jinja environment;
keep it for a whole batch. Only local resources are fetched: charts travel as `data:` URIs and the
url_fetcher refuses every other scheme (no network, no files outside the templates folder).
Making one installs `inspection.documents.justify`: Chinese lines are justified between characters.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

import jinja2

from inspection.documents import fonts, justify
from inspection.documents.charts import svg_uri
from inspection.documents.model import Figure, Heading, OfficialDocument, PageBreak, Paragraph, Table
from inspection.errors import RenderError

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
_KINDS = {Heading: "heading", Paragraph: "paragraph", Table: "table", Figure: "figure", PageBreak: "pagebreak"}


def template_names(doc: OfficialDocument) -> list[str]:
    """The template names tried for `doc`, most specific first."""
    names = [f"{doc.kind}-{doc.county}.html"] if doc.county else []
    return names + [f"{doc.kind}.html", "document.html"]


def environment(templates_dir: Path = TEMPLATES_DIR) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)),
                             autoescape=jinja2.select_autoescape(["html"]),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(kind_of=lambda block: _KINDS[type(block)], fonts=fonts.ROLES, size=fonts.SIZE,
                       colophon=fonts.COLOPHON, chart_uri=chart_uri)
    return env


@dataclass(frozen=True)
class Tail:
    """What a second layout covers: the last attachment (index `attachment`), which starts on page
    `start`, or the whole document (`start` None). Page sides (odd right, even left) follow the
    page index, so a tail that starts on an even page is laid out after one filler page, dropped.
    `after_blank`: the text ends on an even page, so a blank page comes before the 版记's."""

    start: int | None = None
    attachment: int = -1
    after_blank: bool = False

    @property
    def whole(self) -> bool:
        return self.start is None

    @property
    def blank_first(self) -> bool:
        return not self.whole and self.start % 2 == 0

    @property
    def first_counter(self) -> int:
        """The page number of the layout's first page (the filler's, when there is one)."""
        return 1 if self.whole else self.start - self.blank_first


class PdfRenderer:
    """Renders documents to PDF; create once per process and reuse (fonts and CSS are loaded once)."""

    def __init__(self, templates_dir: Path = TEMPLATES_DIR) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        justify.install()
        self.templates_dir = Path(templates_dir)
        self.env = environment(self.templates_dir)
        self.fetcher = _local_fetcher(self.templates_dir)
        self.font_config = FontConfiguration()
        css = self.env.get_template("official.css.j2").render()
        self.stylesheet = CSS(string=css, font_config=self.font_config, url_fetcher=self.fetcher)

    def html(self, doc: OfficialDocument, tail: Tail | None = None) -> str:
        """The HTML the PDF is made from (useful to inspect a template); `tail`: see `Tail`."""
        try:
            template = self.env.select_template(template_names(doc))
        except jinja2.TemplatesNotFound as exc:
            raise RenderError(f"找不到公文模板：{template_names(doc)}", f"no template among {template_names(doc)}",
                              kind=doc.kind) from exc
        return template.render(doc=doc, tail=tail)

    def render(self, doc: OfficialDocument) -> bytes:
        """PDF bytes of `doc`; raises `RenderError` if WeasyPrint fails."""
        collecting = gc.isenabled()
        gc.disable()     # a layout builds ~10⁶ objects that die with it: collecting mid-way costs 5–10 %
        try:
            document = self._layout(self.html(doc))
            if len(document.pages) % 2:     # the 版记 closes the document on an even page (封四)
                document = self._colophon_on_even_page(doc, document)
            return document.write_pdf()
        except RenderError:
            raise
        except Exception as exc:  # WeasyPrint raises a variety of errors; map them at this edge
            raise RenderError(f"生成PDF失败（{doc.title}）：{exc}", f"PDF rendering failed ({doc.title}): {exc}",
                              kind=doc.kind) from exc
        finally:
            if collecting:
                gc.enable()

    def _layout(self, html: str):
        from weasyprint import HTML
        return HTML(string=html, base_url=self.templates_dir.as_uri() + "/", url_fetcher=self.fetcher).render(
            stylesheets=[self.stylesheet], font_config=self.font_config)

    def _colophon_on_even_page(self, doc: OfficialDocument, document):
        """`document` with its 版记 moved to a page of its own, the next even one. Attachments start on
        a new page, so only the last one is laid out again: its pages replace the old ones."""
        last = len(doc.attachments)
        start = self._page_of(document, f"attachment-{last}")
        end = self._page_of(document, "text-end")
        tail = Tail(start, last - 1, after_blank=end is not None and end % 2 == 0)
        laid = self._layout(self.html(doc, tail))
        if tail.whole:
            return laid
        return document.copy(document.pages[:start - 1] + laid.pages[tail.blank_first:])

    @staticmethod
    def _page_of(document, anchor: str) -> int | None:
        return next((k for k, page in enumerate(document.pages, 1) if anchor in page.anchors), None)


def chart_uri(figure: Figure) -> str:
    return svg_uri(figure.chart, figure.width_mm)


def _local_fetcher(root: Path):
    """A url_fetcher that serves `data:` URIs and files under `root`, and refuses everything else."""
    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname
                path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
                if path.is_relative_to(root.resolve()):
                    return super().fetch(url, headers)
            raise ValueError(f"refused non-local resource: {url[:80]}")

    return LocalFetcher(allowed_protocols=("data", "file"), fail_on_errors=False)
