"""Inter-character justification of Chinese lines in WeasyPrint (GB/T 9704 4.2.3: 每行排28个字，并撑满版心).

WeasyPrint justifies a line only by widening its spaces (`weasyprint.layout.inline.justify_line`
counts ' ' and no-break spaces; its TODO points to css-text-3's justification algorithms). Chinese
text has no spaces, so a line that has to break early stays short of the right edge: before a
character that may not start a line (，。、）》…), after one that may not end it (（《〔…), or half a
character short when it holds an odd number of half-width digits. `install` replaces that function:
a line holding Chinese characters gets the missing width spread between its characters as extra
letter-spacing, as Chinese typesetting does (W3C clreq 3.8): none inside a run of digits or Latin
letters ("93.5%" stays whole), half beside one, and its last character ends at the edge. Other
lines are justified as before.
"""

from __future__ import annotations

import re

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def install() -> None:
    """Patch WeasyPrint's line justification in this process (once; later calls do nothing)."""
    from weasyprint.layout import inline
    if getattr(inline.justify_line, "inter_character", False):
        return
    by_spaces = inline.justify_line

    def justify_line(context, line, extra_width):
        texts = [box for box in _text_boxes(line, inline) if box.text]
        if not (sum(len(box.text) for box in texts) > 1 and any(CJK.search(box.text) for box in texts)
                and _justify(line, texts, extra_width, inline)):
            by_spaces(context, line, extra_width)

    justify_line.inter_character = True
    inline.justify_line = justify_line


def _justify(line, texts, extra_width, inline) -> bool:
    """Lay each text box out again with its Chinese characters spaced, the line's last one not (its
    own letter-spacing hangs past the edge, as in a full line), then move the boxes along. False
    (and the boxes as they were) when there is nothing to space."""
    weights = [[0.0 if c.isascii() else 1.0 for c in box.text] for box in texts]
    weights[-1][-1] = 0.0
    target = extra_width + _letter_spacing(texts[-1].style)
    # Pango splits a character's letter-spacing around it: what a box gains is measured, not guessed,
    # then every box is laid out once more with the spacing scaled so the gains add up to `target`
    widths = [box.width for box in texts]
    gained = sum(_spaced(box, w, 1.0) - width for box, w, width in zip(texts, weights, widths))
    spacing = target / gained if gained > 0 else 0.0
    gains = {id(box): _spaced(box, w, spacing) - width for box, w, width in zip(texts, weights, widths)}
    if gained > 0:
        _move(line, gains, 0, inline)
    return gained > 0


def _spaced(box, weights, spacing) -> float:
    """Give `box` a layout whose characters have `spacing` × weight more letter-spacing; returns its
    new width."""
    from weasyprint.text.line_break import line_size
    layout = _layout_class()(box, [spacing * w for w in weights])
    first, _ = layout.get_first_line()
    box.width, _ = line_size(first, box.style)
    layout.deactivate()            # drawing reactivates it with box.style
    box.pango_layout = layout
    return box.width


def _move(box, gains, x_advance, inline) -> float:
    """Shift every box right by what the text boxes before it gained (as WeasyPrint's
    `add_word_spacing` does); returns the gain so far."""
    if isinstance(box, inline.boxes.TextBox):
        box.position_x += x_advance
        return x_advance + gains.get(id(box), 0)
    if isinstance(box, (inline.boxes.LineBox, inline.boxes.InlineBox)):
        box.position_x += x_advance
        before = x_advance
        children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
        for child in children:
            if child.is_in_normal_flow():
                x_advance = _move(child, gains, x_advance, inline)
        box.width += x_advance - before
        return x_advance
    box.translate(x_advance, 0)    # an atomic inline (image, inline-block) moves along
    return x_advance


def _letter_spacing(style) -> float:
    return 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]


def _text_boxes(box, inline):
    if isinstance(box, inline.boxes.TextBox):
        yield box
    elif isinstance(box, (inline.boxes.LineBox, inline.boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child, inline)


_LAYOUT = None


def _layout_class():
    """A WeasyPrint `Layout` that adds its own letter-spacing to each character, now and each time
    drawing sets its text again (`reactivate`)."""
    global _LAYOUT
    if _LAYOUT is None:
        from weasyprint.text.ffi import TO_UNITS, ffi, pango
        from weasyprint.text.line_break import Layout

        class SpacedLayout(Layout):
            def __init__(self, box, extra):
                self.extra = extra
                super().__init__(box.style, box.justification_spacing)
                self.set_text(box.text)

            def set_text(self, text, justify=False):
                super().set_text(text, justify)
                attrs = pango.pango_layout_get_attributes(self.layout)
                if attrs == ffi.NULL:
                    attrs = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
                start, base = 0, _letter_spacing(self.style)
                for char, extra in zip(text, self.extra):
                    end = start + len(char.encode())
                    if extra:
                        attr = pango.pango_attr_letter_spacing_new(int((base + extra) * TO_UNITS))
                        attr.start_index, attr.end_index = start, end
                        pango.pango_attr_list_change(attrs, attr)
                    start = end
                pango.pango_layout_set_attributes(self.layout, attrs)

        _LAYOUT = SpacedLayout
    return _LAYOUT
