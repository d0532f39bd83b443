"""Text from a submission (school names, quotes, file names, reasons) shown in Markdown as text.

Streamlit renders `st.markdown` as Markdown: a school named "[点此重新登录](http://…)" or a quote with
"![t](http://…/track.png)" would become a live link or a remote image. Every user-supplied string
that goes into Markdown passes through `plain` first; the page's own formatting stays Markdown.
"""

from __future__ import annotations

import re

# Markdown's punctuation, HTML's angle brackets, and the colon that turns "https:" into a link.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=])")


def plain(text: object) -> str:
    """`text` escaped so that Markdown shows it character for character (no link, image or emphasis)."""
    return _SPECIAL.sub(r"\\\1", "" if text is None else str(text))
