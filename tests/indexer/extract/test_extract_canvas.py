"""parse_canvas: both forms of CanvasContent1, hostile content and input that is not a canvas."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract import canvas as canvas_module
from indexer.extract.canvas import PLACEHOLDER_TEXT, Canvas, parse_canvas

PAGE = "https://sundby.sharepoint.com/sites/intra/SitePages/Nyhed.aspx"
IMAGE = "https://sundby.sharepoint.com/sites/intra/SiteAssets/SitePages/Nyhed/haven.jpg"
FORBIDDEN = ["<script", "alert", "onerror", "javascript:", "<iframe", "style="]


def encode(data: object) -> str:
    """JSON as SharePoint puts it in an attribute: with &#123; &#125; &#58; and &quot;."""
    text = json.dumps(data, ensure_ascii=False)
    for char, entity in [("&", "&amp;"), ('"', "&quot;"), ("<", "&lt;"), (">", "&gt;"),
                         ("{", "&#123;"), ("}", "&#125;"), (":", "&#58;")]:
        text = text.replace(char, entity)
    return text


def position(control: int, zone: int = 1, section: int = 1) -> dict:
    return {"zoneIndex": zone, "sectionIndex": section, "controlIndex": control,
            "sectionFactor": 12, "layoutIndex": 1}


def server_content(texts=None, html=None, images=None, links=None) -> dict:
    return {"htmlStrings": html or {}, "searchablePlainTexts": texts or {},
            "imageSources": images or {}, "links": links or {}}


def rich_text(markup: str, at: dict, rte: bool = True) -> dict:
    """One rich text control, described once for both forms."""
    return {"controlType": 4, "id": f"rt-{at['controlIndex']}", "position": at,
            "innerHTML": markup, "rte": rte}


def web_part(title: str, content: dict, at: dict, markup: str = "") -> dict:
    """One web part; ``markup`` is its data-sp-htmlproperties (HTML form only)."""
    data = {"id": "d1d91016-032f-456d-98a4-721247c305e8", "instanceId": f"wp-{title}",
            "title": title, "description": title, "serverProcessedContent": content,
            "dataVersion": "1.0", "properties": {"layout": 1}}
    return {"controlType": 3, "id": f"wp-{title}", "position": at,
            "webPartId": data["id"], "webPartData": data, "markup": markup}


def html_form(*controls: dict) -> str:
    """CanvasContent1 as list items return it, with the page settings control."""
    parts = ['<div><div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
             'data-sp-controldata="' + encode({"controlType": 0, "pageSettingsSlice": {
                 "isDefaultDescription": True, "isDefaultThumbnail": True}}) + '"></div>']
    for control in controls:
        data = {k: v for k, v in control.items() if k in ("controlType", "id", "position")}
        opening = ('<div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
                   f'data-sp-controldata="{encode(data)}">')
        if control["controlType"] == 4:
            inner = control["innerHTML"]
            parts.append(opening + (f'<div data-sp-rte="">{inner}</div>' if control["rte"]
                                    else inner) + "</div>")
        else:
            parts.append(
                opening + '<div data-sp-webpart="" data-sp-webpartdataversion="1.0" '
                f'data-sp-webpartdata="{encode(control["webPartData"])}"><div '
                f'data-sp-componentid="">{control["webPartId"]}</div><div '
                f'data-sp-htmlproperties="">{control["markup"]}</div></div></div>')
    return "".join(parts) + "</div>"


def json_form(*controls: dict) -> str:
    """The canvas as _api/SitePages/Pages({id}) returns it."""
    drop = {"rte", "markup"}
    return json.dumps([{k: v for k, v in control.items() if k not in drop}
                       for control in controls], ensure_ascii=False)


NEWS = (
    rich_text("<h2>Ældrepleje på Østergården</h2><p>Den årlige "
              "<strong>medarbejdertilfredshedsundersøgelse</strong> er klar. Læs "
              f'<a href="{PAGE}?id=2">rapporten</a>.</p><script>alert("hemmelig")</script>',
              position(1)),
    web_part("Image", server_content(texts={"captionText": "Haven ved Østergården"},
                                     images={"imageSource": IMAGE}), position(2)),
    web_part("Text", server_content(html={"text": "<p>Spørgsmål? Ring til <em>Åse</em>.</p>"}),
             position(1, section=2)),
    web_part("Quick links", server_content(
        texts={"items[0].title": "Vagtplan", "items[1].title": "Kantinens menu"},
        links={"items[0].url": "https://sundby.dk/vagtplan",
               "items[1].url": "javascript:alert(1)"}), position(1, zone=2)),
    rich_text("<p>Venlig hilsen<br>Direktionen</p>", position(2, zone=2)),
)
NEWS_TEXT = ("Ældrepleje på Østergården\n"
             "Den årlige medarbejdertilfredshedsundersøgelse er klar. Læs rapporten.\n"
             "Haven ved Østergården\nSpørgsmål? Ring til Åse.\nVagtplan\nKantinens menu\n"
             "Venlig hilsen\nDirektionen")


@pytest.mark.parametrize("form", [html_form, json_form])
def test_a_news_page_in_either_form(form, safe_html):
    canvas = parse_canvas(form(*NEWS), PAGE)
    assert canvas.error is None
    assert canvas.text == NEWS_TEXT
    assert canvas.html == (
        "<h2>Ældrepleje på Østergården</h2><p>Den årlige <strong>"
        "medarbejdertilfredshedsundersøgelse</strong> er klar. Læs "
        f'<a href="{PAGE}?id=2" rel="noopener noreferrer">rapporten</a>.</p>'
        f'<p class="sp-web-part"><a href="{PAGE}" title="Image" rel="noopener noreferrer">'
        f"{PLACEHOLDER_TEXT}</a></p>"
        "<p>Spørgsmål? Ring til <em>Åse</em>.</p>"
        f'<p class="sp-web-part"><a href="{PAGE}" title="Quick links" '
        f'rel="noopener noreferrer">{PLACEHOLDER_TEXT}</a></p>'
        "<p>Venlig hilsen<br>Direktionen</p>")
    assert canvas.images == [IMAGE]
    assert canvas.links == [f"{PAGE}?id=2", "https://sundby.dk/vagtplan"]
    safe_html(canvas.html)


def test_controls_come_in_page_order_whatever_the_order_written():
    controls = [rich_text("<p>tre</p>", position(1, zone=3)),
                rich_text("<p>en</p>", position(1)),
                rich_text("<p>to</p>", position(2))]
    assert parse_canvas(html_form(*controls)).text == "en\nto\ntre"
    assert parse_canvas(json_form(*controls)).text == "en\nto\ntre"


def test_rich_text_directly_inside_the_control():
    canvas = parse_canvas(html_form(rich_text("<p>Uden <b>rte</b>-div</p>", position(1),
                                              rte=False)))
    assert (canvas.text, canvas.html, canvas.error) == ("Uden rte-div", "<p>Uden rte-div</p>",
                                                        None)


def test_web_part_properties_written_as_markup():
    markup = ('<div data-sp-prop-name="title" data-sp-searchableplaintext="true">dublet</div>'
              '<div data-sp-prop-name="subtitle" data-sp-searchableplaintext="true">Åbent hus i '
              'Æblehaven &amp; co</div><div data-sp-prop-name="body"><p>Kom <b>forbi</b></p>'
              f'</div><img data-sp-prop-name="imageSource" src="{IMAGE}">'
              '<a data-sp-prop-name="link" href="https://sundby.dk/kalender"></a>')
    part = web_part("Hero", server_content(texts={"title": "Kalender"}), position(1), markup)
    canvas = parse_canvas(html_form(part), PAGE)
    assert canvas.text == "Kalender\nÅbent hus i Æblehaven & co\nKom forbi"
    assert canvas.html == "<p>Kom forbi</p>"
    assert canvas.images == [IMAGE]
    assert canvas.links == ["https://sundby.dk/kalender"]
    assert canvas.error is None


def test_web_parts_without_content_or_page_url_leave_no_placeholder():
    empty = web_part("Divider", server_content(), position(1))
    captioned = web_part("Image", server_content(texts={"c": "Billedtekst"}), position(2))
    assert parse_canvas(html_form(empty, captioned)).html == ""
    assert parse_canvas(html_form(empty), PAGE).html == ""
    unsafe_page = parse_canvas(html_form(captioned), "javascript:alert(1)")
    assert (unsafe_page.text, unsafe_page.html) == ("Billedtekst", "")


HOSTILE = (
    "<p>Tekst</p><script>alert(1)</script><img src=x onerror=alert(1)>"
    '<a href="JaVaScRiPt:alert(1)">a</a><a href="jav&#x09;ascript:alert(1)">b</a>'
    "<svg onload=alert(1)></svg><iframe src=https://evil.example></iframe>"
    '<div style="width: expression(alert(1))">c</div><img src="data:image/png;base64,AA">'
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table>"
    "</mtext></math>"
)


@pytest.mark.parametrize("form", [html_form, json_form])
def test_hostile_rich_text_and_web_parts(form, safe_html):
    part = web_part("Evil", server_content(
        html={"x": HOSTILE}, texts={"t": "Synlig"},
        images={"a": "javascript:alert(1)", "b": "data:image/png;base64,AA", "c": IMAGE},
        links={"a": " javascript:alert(1)", "b": "vbscript:x", "c": "mailto:it@sundby.dk"}),
        position(2))
    canvas = parse_canvas(form(rich_text(HOSTILE, position(1)), part), PAGE)
    for forbidden in FORBIDDEN:
        assert forbidden not in canvas.html.lower()
        assert forbidden not in canvas.text.lower()
    assert canvas.text == "Tekst\nab\nc\nSynlig\nTekst\nab\nc"
    assert canvas.images == ["x", IMAGE]
    assert canvas.links == ["mailto:it@sundby.dk"]
    safe_html(canvas.html)


@pytest.mark.parametrize(("raw", "text", "error"), [
    (None, "", None),
    ("", "", None),
    ("<div></div>", "", None),
    ("[]", "", None),
    (42, "", "the canvas is a int, not text"),
    ("Bare <b>tekst</b>", "Bare tekst",
     "no canvas controls found; the canvas was read as plain HTML"),
    ("[{]", "", "the canvas is not valid JSON (Expecting property name enclosed in double "
                "quotes: line 1 column 3 (char 2))"),
    ('{"controlType": 4}', "", "the canvas JSON is not a list of controls"),
    ('  [{"controlType": 4, "innerHTML": "<p>ok</p>"}, 7, null]', "ok",
     "control 2 is not a JSON object; control 3 is not a JSON object"),
    ("[" * 100000, "", "the canvas is not valid JSON (maximum recursion depth exceeded "
                       "while decoding a JSON array from a unicode string)"),
])
def test_input_that_is_not_a_good_canvas(raw, text, error):
    canvas = parse_canvas(raw)
    assert (canvas.text, canvas.error) == (text, error)


def test_broken_json_in_attributes_keeps_the_text_that_can_be_read():
    raw = ('<div data-sp-canvascontrol="" data-sp-controldata="{controlType:4">'
           '<div data-sp-rte=""><p>Første</p></div></div>'
           '<div data-sp-canvascontrol="" '
           'data-sp-controldata="&#123;&quot;controlType&quot;&#58;3&#125;">'
           '<div data-sp-webpart="" data-sp-webpartdata="&#123;oops"></div></div>'
           '<div data-sp-canvascontrol="" data-sp-controldata=""><p>Tredje</p></div>')
    canvas = parse_canvas(raw)
    assert canvas.text == "Første\nTredje"
    assert canvas.error == ("control 1: data-sp-controldata is not valid JSON; "
                            "control 2: data-sp-webpartdata is not valid JSON")


@pytest.mark.parametrize(("data", "error"), [
    (7, "the web part data is not a JSON object"),
    ({"serverProcessedContent": ["a"]}, "serverProcessedContent is not an object"),
    ({"serverProcessedContent": {"searchablePlainTexts": {"a": 5, "b": "ok"}}},
     "searchablePlainTexts is not a map of strings"),
    ({"serverProcessedContent": {"htmlStrings": "<p>x</p>", "searchablePlainTexts": {"b": "ok"}}},
     "htmlStrings is not a map of strings"),
])
@pytest.mark.parametrize("form", [html_form, json_form])
def test_wrong_types_in_web_part_data(form, data, error):
    part = web_part("Odd", {}, position(2))
    part["webPartData"] = data
    canvas = parse_canvas(form(rich_text("<p>Før</p>", position(1)), part))
    assert canvas.text in ("Før", "Før\nok")
    number = 3 if form is html_form else 2  # the HTML form starts with the page settings
    assert canvas.error == f"control {number}: {error}"


def test_a_truncated_canvas_keeps_what_it_has():
    raw = html_form(*NEWS)
    canvas = parse_canvas(raw[: raw.index("Venlig") + 6])
    assert canvas.text == NEWS_TEXT[: NEWS_TEXT.index("Venlig") + 6]
    assert canvas.error == "the canvas ends inside control 6"


def test_a_huge_canvas_is_cut_short(monkeypatch):
    monkeypatch.setattr(canvas_module, "MAX_CANVAS_CHARS", 10_000)
    canvas = parse_canvas(html_form(rich_text("<p>Æ <b>ø</b></p>" * 1000, position(1))))
    assert canvas.text.startswith("Æ ø\nÆ ø")
    assert 400 < canvas.text.count("Æ ø") < 600
    assert canvas.error == ("the canvas is longer than 10,000 characters; only the start was "
                            "read; the canvas ends inside control 2")


CANVAS_SAMPLE = html_form(*NEWS)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    | st.sampled_from(["<p>x</p>", HOSTILE, "javascript:alert(1)"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["controlType", "position", "innerHTML", "webPartData",
                         "serverProcessedContent", "htmlStrings", "searchablePlainTexts",
                         "imageSources", "links", "title", "zoneIndex", "controlIndex"])
        | st.text(max_size=5), children, max_size=5),
    max_leaves=30)


def _check(canvas: Canvas, safe_html) -> None:
    assert isinstance(canvas, Canvas)
    assert all(isinstance(value, str) for value in (canvas.text, canvas.html))
    safe_html(canvas.html)


@settings(max_examples=100, deadline=None, database=None)
@given(start=st.integers(0, len(CANVAS_SAMPLE)), end=st.integers(0, len(CANVAS_SAMPLE)),
       insert=st.sampled_from(["", "<", ">", '"', "&#123;", "</div>", "<div data-sp-rte>", "\x00",
                        '<div data-sp-canvascontrol="" data-sp-controldata="{">', "<![x[",
                        "<script>", "}", "&quot;"]))
def test_a_damaged_html_canvas_never_raises(start, end, insert, safe_html):
    _check(parse_canvas(CANVAS_SAMPLE[:start] + insert + CANVAS_SAMPLE[end:], PAGE),
           safe_html)


@settings(max_examples=100, deadline=None, database=None)
@given(controls=st.lists(JSON_VALUES, max_size=5))
def test_any_json_canvas_never_raises(controls, safe_html):
    _check(parse_canvas(json.dumps(controls), PAGE), safe_html)


@settings(max_examples=100, deadline=None, database=None)
@given(raw=st.text(max_size=200))
def test_any_text_never_raises(raw, safe_html):
    _check(parse_canvas(raw, PAGE), safe_html)
