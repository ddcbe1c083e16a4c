"""The controls of a canvas in its HTML form (CanvasContent1 as list items return it).

The canvas is a sequence of ``<div data-sp-canvascontrol data-sp-controldata="{…}">``. A rich
text control holds its HTML in ``<div data-sp-rte>`` (or directly); a web part holds its data
as JSON in ``data-sp-webpartdata``, and may repeat its searchable properties as markup in
``<div data-sp-htmlproperties>`` (``data-sp-prop-name`` on divs, images and links).
"""

import html
import json
import math
from dataclasses import dataclass, field

from indexer.extract.sanitise import TolerantHTMLParser, html_to_text

RICH_TEXT = 4
WEB_PART = 3
_POSITION_KEYS = ("zoneIndex", "sectionIndex", "controlIndex")


@dataclass
class Control:
    """One control of a canvas, in either form. ``properties`` holds the web part properties
    found as markup: (``"text"`` | ``"html"`` | ``"image"`` | ``"link"``, name, value)."""

    number: int
    kind: int | None = None
    position: tuple[float, ...] | None = None
    rich_html: str | None = None
    web_part: object = None
    properties: list[tuple[str, str, str]] = field(default_factory=list)


def control_kind(value: object) -> int | None:
    """A controlType as an int, or ``None`` when it is not a whole number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def position_of(value: object) -> tuple[float, ...] | None:
    """(zone, section, control) indexes of a control's ``position``, or ``None``."""
    if not isinstance(value, dict):
        return None
    numbers = [value.get(key, 0) for key in _POSITION_KEYS]
    if all(isinstance(n, int | float) and not isinstance(n, bool) and math.isfinite(n)
           for n in numbers):
        return tuple(float(n) for n in numbers)
    return None


def read_html_form(raw: str, errors: list[str]) -> list[Control]:
    """The controls of an HTML-form canvas, in document order; problems go to ``errors``."""
    parser = _CanvasParser(errors)
    parser.feed(raw)
    parser.close()
    return parser.controls


@dataclass
class _Capture:
    """Markup being collected from inside a div, until that div closes."""

    depth: int
    kind: str
    name: str = ""
    parts: list[str] = field(default_factory=list)


class _CanvasParser(TolerantHTMLParser):
    def __init__(self, errors: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self._errors = errors
        self._control: Control | None = None
        self._depth = 0  # divs open inside the current control, itself included
        self._captures: list[_Capture] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, dict(attrs), closed=True)

    def handle_endtag(self, tag: str) -> None:
        if self._control is None:
            return
        if tag != "div":
            self._record(f"</{tag}>")
        elif self._depth <= 1:
            self._finish_control()
        else:
            self._close_captures()
            self._record("</div>")
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._control is not None:
            self._record(html.escape(data, quote=False))

    def close(self) -> None:
        super().close()
        if self._control is not None:
            self._errors.append(f"the canvas ends inside control {self._control.number}")
            self._finish_control()

    def _start(self, tag: str, attrs: dict[str, str | None], closed: bool) -> None:
        if tag == "div" and "data-sp-canvascontrol" in attrs:
            self._open_control(attrs)
            if closed:
                self._finish_control()
            return
        control = self._control
        if control is None:
            return
        self._record(self.get_starttag_text() or "")
        if attrs.get("data-sp-webpartdata"):
            control.web_part = self._json(attrs["data-sp-webpartdata"], "data-sp-webpartdata")
        name = attrs.get("data-sp-prop-name")
        url = attrs.get("src" if tag == "img" else "href")
        if name is not None and url and tag in ("img", "a"):
            control.properties.append(("image" if tag == "img" else "link", name, url))
        if tag != "div" or closed:
            return
        self._depth += 1
        if "data-sp-rte" in attrs:
            self._captures.append(_Capture(self._depth, "rte"))
        elif name is not None:
            plain = attrs.get("data-sp-searchableplaintext") == "true"
            self._captures.append(_Capture(self._depth, "text" if plain else "html", name))

    def _open_control(self, attrs: dict[str, str | None]) -> None:
        if self._control is not None:
            self._finish_control()
        control = self._control = Control(number=len(self.controls) + 1)
        data = self._json(attrs.get("data-sp-controldata"), "data-sp-controldata")
        if isinstance(data, dict):
            control.kind = control_kind(data.get("controlType"))
            control.position = position_of(data.get("position"))
        self._depth = 1
        self._captures = [_Capture(1, "inner")]

    def _finish_control(self) -> None:
        self._depth = 1
        self._close_captures()
        control = self._control
        if control is not None:
            if control.kind is None:
                control.kind = WEB_PART if control.web_part is not None else RICH_TEXT
            self.controls.append(control)
        self._control = None

    def _close_captures(self) -> None:
        """Close the captures of the div now ending (and any left open inside it)."""
        control = self._control
        while control is not None and self._captures and self._captures[-1].depth >= self._depth:
            capture = self._captures.pop()
            markup = "".join(capture.parts)
            if capture.kind == "rte" or (capture.kind == "inner" and control.rich_html is None):
                control.rich_html = (control.rich_html or "") + markup
            elif capture.kind == "text":
                control.properties.append(("text", capture.name, html_to_text(markup)))
            elif capture.kind == "html":
                control.properties.append(("html", capture.name, markup))

    def _record(self, markup: str) -> None:
        for capture in self._captures:
            capture.parts.append(markup)

    def _json(self, value: str | None, attribute: str) -> object:
        if not value:
            return None
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            number = self._control.number if self._control else len(self.controls) + 1
            self._errors.append(f"control {number}: {attribute} is not valid JSON")
            return None
