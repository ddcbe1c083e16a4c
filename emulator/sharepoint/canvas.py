"""``CanvasContent1`` HTML to the ``CanvasJson1`` form the Site Pages API returns.

Each ``data-sp-canvascontrol`` div becomes one control: its decoded ``data-sp-controldata``,
plus ``innerHTML`` (the ``data-sp-rte`` content) for rich text, or ``webPartData`` (the decoded
``data-sp-webpartdata``) for web parts.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _Control:
    def __init__(self, data: dict, depth: int) -> None:
        self.data, self.depth = data, depth
        self.rte_depth: int | None = None
        self.rte_closed = False
        self.inner: list[str] = []
        self.direct: list[str] = []


class _CanvasParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.controls: list[_Control] = []
        self.current: _Control | None = None

    def _emit(self, text: str) -> None:
        control = self.current
        if control is None:
            return
        if control.rte_depth is None:
            control.direct.append(text)
        elif not control.rte_closed and self.depth >= control.rte_depth:
            control.inner.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if self.current is None and "data-sp-canvascontrol" in values:
            self.current = _Control(_json(values.get("data-sp-controldata")), self.depth + 1)
        elif self.current is not None:
            self._emit(self.get_starttag_text() or "")
            if "data-sp-rte" in values and self.current.rte_depth is None:
                self.current.rte_depth = self.depth + 1
            if "data-sp-webpartdata" in values:
                self.current.data["webPartData"] = _json(values["data-sp-webpartdata"])
        if tag not in _VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._emit(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        control = self.current
        if control is not None and self.depth == control.depth:
            self._finish(control)
            self.current = None
        elif control is not None and self.depth == control.rte_depth and not control.rte_closed:
            control.rte_closed = True
        else:
            self._emit(f"</{tag}>")
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit(f"&#{name};")

    def _finish(self, control: _Control) -> None:
        data = control.data
        if data.get("controlType") == 4:
            inner = control.inner if control.rte_depth is not None else control.direct
            data["innerHTML"] = "".join(inner)
        self.controls.append(data)


def _json(text: str | None) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def canvas_json(canvas_html: str | None) -> str:
    """The ``CanvasJson1`` string (a JSON array of controls) of a page's canvas HTML."""
    parser = _CanvasParser()
    parser.feed(canvas_html or "")
    parser.close()
    return json.dumps(parser.controls, ensure_ascii=False, separators=(",", ":"))
