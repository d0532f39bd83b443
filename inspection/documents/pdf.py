"""PDF renderer (WeasyPrint + Jinja2): an `OfficialDocument` → PDF bytes laid out after GB/T 9704.

Templates resolve by name in `templates/`: `{kind}-{county}.html`, then `{kind}.html`, then
`document.html`, so a county's special letter is a template file, not a branch. The stylesheet
`official.css.j2` is rendered once with the font lists of `inspection.documents.fonts`.

One `PdfRenderer` keeps one `FontConfiguration`, one parsed stylesheet and one Jinja environment;
keep it for a whole batch. Only local resources are fetched: charts travel as `data:` URIs and the
url_fetcher refuses every other scheme (no network, no files outside the templates folder).
"""

from __future__ import annotations

import base64
from pathlib import Path

import jinja2

from inspection.documents import fonts
from inspection.documents.charts import render_png
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
                       chart_uri=chart_uri)
    return env


class PdfRenderer:
    """Renders documents to PDF; create once per process and reuse (fonts and CSS are loaded once)."""

    def __init__(self, templates_dir: Path = TEMPLATES_DIR) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        self.templates_dir = Path(templates_dir)
        self.env = environment(self.templates_dir)
        self.fetcher = _local_fetcher(self.templates_dir)
        self.font_config = FontConfiguration()
        css = self.env.get_template("official.css.j2").render()
        self.stylesheet = CSS(string=css, font_config=self.font_config, url_fetcher=self.fetcher)

    def html(self, doc: OfficialDocument) -> str:
        """The HTML the PDF is made from (useful to inspect a template)."""
        try:
            template = self.env.select_template(template_names(doc))
        except jinja2.TemplatesNotFound as exc:
            raise RenderError(f"找不到公文模板：{template_names(doc)}", f"no template among {template_names(doc)}",
                              kind=doc.kind) from exc
        return template.render(doc=doc)

    def render(self, doc: OfficialDocument) -> bytes:
        """PDF bytes of `doc`; raises `RenderError` if WeasyPrint fails."""
        from weasyprint import HTML
        try:
            html = HTML(string=self.html(doc), base_url=self.templates_dir.as_uri() + "/",
                        url_fetcher=self.fetcher)
            return html.write_pdf(stylesheets=[self.stylesheet], font_config=self.font_config)
        except RenderError:
            raise
        except Exception as exc:  # WeasyPrint raises a variety of errors; map them at this edge
            raise RenderError(f"生成PDF失败（{doc.title}）：{exc}", f"PDF rendering failed ({doc.title}): {exc}",
                              kind=doc.kind) from exc



def chart_uri(figure: Figure) -> str:
    png = render_png(figure.chart, figure.width_mm)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


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
