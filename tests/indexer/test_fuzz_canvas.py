"""Fuzzing the CanvasContent1 parser: any value, in either form, gives text and safe HTML or a
clear extraction error; never an exception and never the parser's last-resort guard.

``FUZZ_EXAMPLES`` sets the number of examples (default 300).
"""

from __future__ import annotations

import json
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from test_fuzz_sanitise import unsafe_parts

from indexer.extract.canvas import Canvas, parse_canvas

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
PAGE = "https://sundby.sharepoint.com/sites/intra/SitePages/Nyhed.aspx"
LAST_GUARD = "the canvas could not be read ("
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.text(max_size=20) | st.sampled_from(["<script>alert(1)</script>",
                                                      "javascript:alert(1)", "{", "4", "3"]))
JSON_VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                           max_leaves=8)
KEYS = ["controlType", "id", "position", "innerHTML", "webPartData", "webPartId",
        "serverProcessedContent", "htmlStrings", "searchablePlainTexts", "imageSources",
        "links", "title", "zoneIndex", "sectionIndex", "controlIndex", "sectionFactor"]
CONTROL = st.dictionaries(st.sampled_from(KEYS), JSON_VALUES | st.builds(
    lambda d: json.dumps(d), JSON_VALUES), max_size=6)
JSON_CANVAS = st.lists(CONTROL | JSON_VALUES, max_size=6).map(json.dumps)
HTML_TOKENS = ['<div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
               'data-sp-controldata="', '&#123;&quot;controlType&quot;&#58;4', '&#125;', '">',
               '<div data-sp-rte="">', '<div data-sp-webpart="" data-sp-webpartdata="',
               '<div data-sp-htmlproperties="">', '<div data-sp-prop-name="title">',
               '<div data-sp-prop-name="x" data-sp-searchableplaintext="true">',
               '<img data-sp-prop-name="imageSource" src="', '</div>', '<p>', '</p>',
               '<script>alert(1)</script>', '<a href="javascript:alert(1)">', '&quot;', '<',
               '>', '"', '\x00', '<![x[', 'tekst ']
HTML_CANVAS = st.lists(st.sampled_from(HTML_TOKENS) | st.text(max_size=5),
                       max_size=60).map("".join)


def check(canvas: Canvas) -> None:
    """Text or a clear error, HTML that is safe, and no exception that reached the guard."""
    assert isinstance(canvas, Canvas)
    assert isinstance(canvas.text, str) and isinstance(canvas.html, str)
    assert canvas.error is None or (canvas.error and LAST_GUARD not in canvas.error)
    assert unsafe_parts(canvas.html) == []


@settings(max_examples=EXAMPLES)
@given(raw=JSON_CANVAS)
def test_any_json_canvas_gives_text_or_a_clear_error(raw):
    check(parse_canvas(raw, PAGE))


@settings(max_examples=EXAMPLES)
@given(raw=HTML_CANVAS)
def test_any_html_canvas_gives_text_or_a_clear_error(raw):
    check(parse_canvas(raw, PAGE))


@settings(max_examples=EXAMPLES)
@given(raw=st.text(max_size=200))
def test_any_text_gives_text_or_a_clear_error(raw):
    check(parse_canvas(raw, PAGE))


def test_a_deeply_nested_canvas_is_a_clear_error():
    canvas = parse_canvas("[" * 100_000 + "]" * 100_000, PAGE)
    check(canvas)
    assert canvas.error
