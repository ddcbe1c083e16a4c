"""The OData pieces on their own: $filter expressions, path segments and the JSON canvas."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from emulator.sharepoint.canvas import canvas_json
from emulator.sharepoint.errors import SharePointError
from emulator.sharepoint.filters import parse_filter
from emulator.sharepoint.paths import split

ROW = {"ID": 7, "Title": "Budget 2024", "Modified": datetime(2024, 3, 1, 12, tzinfo=UTC),
       "FSObjType": 0, "UniqueId": "8c1f0a8e-0000-4000-8000-000000000001", "Hidden": False,
       "Description": None, "FileRef": "/sites/a/Shared Documents/Budget 2024.xlsx"}


@pytest.mark.parametrize(("expression", "expected"), [
    ("ID eq 7", True),
    ("ID ne 7", False),
    ("ID gt 6 and ID le 7", True),
    ("ID lt 7 or Title eq 'budget 2024'", True),
    ("not (FSObjType eq 1)", True),
    ("Modified ge datetime'2024-03-01T12:00:00Z'", True),
    ("Modified gt datetime'2024-03-01T12:00:00'", False),
    ("UniqueId eq guid'8C1F0A8E-0000-4000-8000-000000000001'", True),
    ("Hidden eq false", True),
    ("Description eq null", True),
    ("Description ne null", False),
    ("substringof('budget', Title)", True),
    ("startswith(FileRef, '/sites/a/Shared Documents/')", True),
    ("endswith(FileRef, '.docx')", False),
    ("Title eq 'Bo''s'", False),
])
def test_filters(expression: str, expected: bool) -> None:
    parsed = parse_filter(expression)
    assert parsed.matches(ROW.__getitem__) is expected


def test_filter_names_its_columns() -> None:
    assert parse_filter("ID gt 3 and (Modified ge datetime'2024-01-01' or Title eq 'x')"
                        ).fields == ("ID", "Modified", "Title")


@pytest.mark.parametrize("expression", ["ID eq", "ID eq 'open", "(ID eq 1", "ID eq 1 ID",
                                        "datetime'nope' eq Modified"])
def test_malformed_filters_answer_400(expression: str) -> None:
    with pytest.raises(SharePointError) as caught:
        parse_filter(expression)
    assert caught.value.status == 400


def test_paths_keep_quoted_slashes_and_doubled_quotes() -> None:
    segments = split("Web/GetFileByServerRelativeUrl('/sites/a/Bo''s (1).docx')/$value", {})
    assert [s.key for s in segments] == ["web", "getfilebyserverrelativeurl", "$value"]
    assert segments[1].arg() == "/sites/a/Bo's (1).docx"


def test_path_arguments() -> None:
    lists, items = split("lists(guid'AB12CD34-0000-4000-8000-000000000000')/items(3)", {})
    assert lists.arg() == "ab12cd34-0000-4000-8000-000000000000" and items.arg() == 3
    [by_path] = split("GetFileByServerRelativePath(DecodedUrl=@u)", {"@u": "'/sites/a/x'"})
    assert by_path.arg("decodedurl") == "/sites/a/x"
    assert split("web", {})[0].called is False


def test_canvas_controls_become_json() -> None:
    canvas = ('<div><div data-sp-canvascontrol="" data-sp-controldata="{&quot;controlType&quot;'
              '&#58;4,&quot;id&quot;&#58;&quot;t&quot;&#125;"><div data-sp-rte=""><p>A &amp; B'
              '<br></p></div></div><div data-sp-canvascontrol="" data-sp-controldata="&#123;'
              '&quot;controlType&quot;&#58;3&#125;"><div data-sp-webpart="" '
              'data-sp-webpartdata="&#123;&quot;title&quot;&#58;&quot;Billede&quot;&#125;">'
              '<div data-sp-htmlproperties=""></div></div></div></div>')
    assert json.loads(canvas_json(canvas)) == [
        {"controlType": 4, "id": "t", "innerHTML": "<p>A &amp; B<br></p>"},
        {"controlType": 3, "webPartData": {"title": "Billede"}}]
    assert canvas_json(None) == "[]"
