"""A modern page's canvas (CanvasContent1) to plain text for the index and safe HTML to show.

Both forms are read: the HTML form that list items return and the JSON form of
``_api/SitePages/Pages({id})``. Text is the rich text, then each web part's
``searchablePlainTexts`` and ``htmlStrings``, in page order. Web parts without HTML become a
link to the page in SharePoint.
"""

import html
import json
from dataclasses import dataclass, field

from indexer.extract.canvas_html import (
    RICH_TEXT,
    WEB_PART,
    Control,
    control_kind,
    position_of,
    read_html_form,
)
from indexer.extract.sanitise import (
    LINK_REL,
    TolerantHTMLParser,
    html_to_text,
    safe_url,
    sanitise_html,
)
from indexer.extract.text import tidy

MAX_CANVAS_CHARS = 500_000
PLACEHOLDER_TEXT = "Åbn siden i SharePoint for at se dette indhold"
_CONTENT_KEYS = {"searchablePlainTexts": "text", "htmlStrings": "html",
                 "imageSources": "image", "links": "link"}
_MAX_ERRORS = 5


@dataclass
class Canvas:
    """What a canvas shows: ``text`` to index, sanitised ``html``, the URLs of its images and
    links, and ``error`` when some of it could not be read."""

    text: str = ""
    html: str = ""
    images: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    error: str | None = None


def parse_canvas(raw: str | None, page_url: str = "") -> Canvas:
    """Read a CanvasContent1 value in either form. Never raises: what cannot be read is
    left out and described in ``error``. ``page_url`` is linked from web parts that cannot
    be shown."""
    errors: list[str] = []
    try:
        return _parse(raw, page_url, errors)
    except Exception as exc:  # a last guard: a bad canvas must not stop a sync
        errors.append(f"the canvas could not be read ({type(exc).__name__})")
        return Canvas(error="; ".join(errors))


def _parse(raw: str | None, page_url: str, errors: list[str]) -> Canvas:
    if raw is None:
        return Canvas()
    if not isinstance(raw, str):
        return Canvas(error=f"the canvas is a {type(raw).__name__}, not text")
    if len(raw) > MAX_CANVAS_CHARS:
        raw = raw[:MAX_CANVAS_CHARS]
        errors.append(f"the canvas is longer than {MAX_CANVAS_CHARS:,} characters; "
                      "only the start was read")
    if raw.lstrip().startswith(("[", "{")):
        controls = _json_controls(raw, errors)
    else:
        controls = read_html_form(raw, errors)
        if not controls and html_to_text(raw):
            errors.append("no canvas controls found; the canvas was read as plain HTML")
            controls = [Control(number=1, kind=RICH_TEXT, rich_html=raw)]
    return _render(controls, page_url, errors)


def _json_controls(raw: str, errors: list[str]) -> list[Control]:
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        errors.append(f"the canvas is not valid JSON ({str(exc)[:100]})")
        return []
    if not isinstance(data, list):
        errors.append("the canvas JSON is not a list of controls")
        return []
    controls = []
    for number, item in enumerate(data, 1):
        if not isinstance(item, dict):
            errors.append(f"control {number} is not a JSON object")
            continue
        web_part = item.get("webPartData")
        if isinstance(web_part, str):
            web_part = _loads(web_part)
        rich_html = item.get("innerHTML")
        controls.append(Control(
            number=number, kind=control_kind(item.get("controlType")),
            position=position_of(item.get("position")), web_part=web_part,
            rich_html=rich_html if isinstance(rich_html, str) else None))
    return controls


def _loads(value: str) -> object:
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return value  # reported as the wrong type when the web part is read


class _Page:
    """The canvas being assembled."""

    def __init__(self, page_url: str, errors: list[str]) -> None:
        self.texts: list[str] = []
        self.html: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.page_url = safe_url(page_url) if page_url else None
        self.errors = errors

    def add_html(self, markup: str) -> None:
        clean = sanitise_html(markup)
        self.html.append(clean)
        images, links = _urls(clean)
        self.images += images
        self.links += links

    def add_web_part(self, control: Control) -> None:
        content = _web_part_content(control, self.errors)
        self.texts += content["text"].values()
        for markup in content["html"].values():
            self.texts.append(html_to_text(markup))
            self.add_html(markup)
        self.images += filter(None, map(safe_url, content["image"].values()))
        self.links += filter(None, map(safe_url, content["link"].values()))
        if not content["html"] and any(content.values()) and self.page_url:
            title = control.web_part.get("title") if isinstance(control.web_part, dict) else ""
            self.html.append(_placeholder(self.page_url, title if isinstance(title, str) else ""))

    def canvas(self) -> Canvas:
        errors = self.errors[:_MAX_ERRORS]
        if len(self.errors) > _MAX_ERRORS:
            errors.append(f"{len(self.errors) - _MAX_ERRORS} more problems")
        return Canvas(text=tidy("\n".join(self.texts)), html="".join(self.html),
                      images=list(dict.fromkeys(self.images)),
                      links=list(dict.fromkeys(self.links)),
                      error="; ".join(errors) or None)


def _render(controls: list[Control], page_url: str, errors: list[str]) -> Canvas:
    page = _Page(page_url, errors)
    controls = [control for control in controls if control.kind in (RICH_TEXT, WEB_PART)]
    if all(control.position is not None for control in controls):
        controls = sorted(controls, key=lambda control: control.position)
    for control in controls:
        try:
            if control.kind == RICH_TEXT and control.rich_html:
                page.texts.append(html_to_text(control.rich_html))
                page.add_html(control.rich_html)
            elif control.kind == WEB_PART:
                page.add_web_part(control)
        except Exception as exc:  # keep the other controls whatever goes wrong in one
            errors.append(f"control {control.number} could not be read ({type(exc).__name__})")
    return page.canvas()


def _web_part_content(control: Control, errors: list[str]) -> dict[str, dict[str, str]]:
    """The web part's serverProcessedContent by kind (text, html, image, link), then name;
    properties found only as markup are added."""
    content: dict[str, dict[str, str]] = {kind: {} for kind in _CONTENT_KEYS.values()}
    data = control.web_part
    processed = data.get("serverProcessedContent") if isinstance(data, dict) else None
    if data is not None and not isinstance(data, dict):
        errors.append(f"control {control.number}: the web part data is not a JSON object")
    elif processed is not None and not isinstance(processed, dict):
        errors.append(f"control {control.number}: serverProcessedContent is not an object")
    elif isinstance(processed, dict):
        for key, kind in _CONTENT_KEYS.items():
            values = processed.get(key) or {}
            good = isinstance(values, dict) and all(isinstance(v, str) for v in values.values())
            if not good:
                errors.append(f"control {control.number}: {key} is not a map of strings")
            if isinstance(values, dict):
                content[kind] = {str(k): v for k, v in values.items() if isinstance(v, str)}
    for kind, name, value in control.properties:
        content[kind].setdefault(name, value)
    return content


def _placeholder(page_url: str, title: str) -> str:
    label = html.escape(PLACEHOLDER_TEXT)
    hint = f' title="{html.escape(title)}"' if title else ""
    return (f'<p class="sp-web-part"><a href="{html.escape(page_url)}"{hint} '
            f'rel="{LINK_REL}">{label}</a></p>')


class _UrlParser(TolerantHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "img" and values.get("src"):
            self.images.append(values["src"])
        elif tag == "a" and values.get("href"):
            self.links.append(values["href"])


def _urls(clean_html: str) -> tuple[list[str], list[str]]:
    """The image and link URLs of sanitised HTML."""
    parser = _UrlParser()
    parser.feed(clean_html)
    parser.close()
    return parser.images, parser.links
