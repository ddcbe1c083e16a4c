"""Modern page canvas HTML (CanvasContent1) as SharePoint stores it in the Site Pages list.

A page is a sequence of ``data-sp-canvascontrol`` divs. Their JSON attributes are
entity-encoded the way SharePoint does it, braces and colons included.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from emulator.ids import new_id

WEB_PART_IDS = {
    "QuickLinks": "c70391ea-0b10-4ee9-b2b4-006d3fcad0cd",
    "Image": "d1d91016-032f-456d-98a4-721247c305e8",
    "CallToAction": "df8e44e7-edd5-46d5-90da-aca1539313b8",
    "Markdown": "1ef5ed11-ce7b-44be-bc5e-4abd55101d16",
}


@dataclass(frozen=True)
class Part:
    """One control before it is placed on the page: its control data and inner HTML."""

    control: dict
    inner: str


def encode(value: dict) -> str:
    """JSON for an HTML attribute, entity-encoded like SharePoint (``&#123;``, ``&#58;``, …)."""
    text = html.escape(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
    return text.replace("{", "&#123;").replace("}", "&#125;").replace(":", "&#58;")


def rich_text(inner_html: str) -> Part:
    """A text control (controlType 4); ``inner_html`` is used as it is, unsanitised."""
    return Part({"controlType": 4, "displayMode": 2, "id": new_id(), "emphasis": {}},
                f'<div data-sp-rte="">{inner_html}</div>')


def web_part(name: str, title: str, properties: dict, searchable: dict[str, str] | None = None,
             html_strings: dict[str, str] | None = None, images: dict[str, str] | None = None,
             links: dict[str, str] | None = None) -> Part:
    """A web part control (controlType 3) with its server-processed content."""
    part_id, instance = WEB_PART_IDS[name], new_id()
    processed = {"htmlStrings": html_strings or {}, "searchablePlainTexts": searchable or {},
                 "imageSources": images or {}, "links": links or {}}
    data = {"id": part_id, "instanceId": instance, "title": title, "description": title,
            "serverProcessedContent": processed, "dataVersion": "1.0", "properties": properties}
    shown = "".join(
        [f'<div data-sp-prop-name="{k}" data-sp-searchableplaintext="true">{html.escape(v)}'
         "</div>" for k, v in processed["searchablePlainTexts"].items()]
        + [f'<div data-sp-prop-name="{k}">{v}</div>' for k, v in processed["htmlStrings"].items()]
        + [f'<img data-sp-prop-name="{k}" src="{html.escape(v)}" />'
           for k, v in processed["imageSources"].items()]
        + [f'<a data-sp-prop-name="{k}" href="{html.escape(v)}"></a>'
           for k, v in processed["links"].items()])
    control = {"controlType": 3, "webPartId": part_id, "displayMode": 2, "id": instance,
               "addedFromPersistedData": True, "emphasis": {}}
    return Part(control, f'<div data-sp-webpart="" data-sp-webpartdataversion="1.0" '
                         f'data-sp-webpartdata="{encode(data)}"><div data-sp-componentid="">'
                         f'{part_id}</div><div data-sp-htmlproperties="">{shown}</div></div>')


def quick_links(title: str, items: list[tuple[str, str]]) -> Part:
    """A Quick links web part: (title, url) pairs."""
    searchable = {"title": title} | {f"items[{i}].title": t for i, (t, _) in enumerate(items)}
    links = {f"items[{i}].sourceItem.url": url for i, (_, url) in enumerate(items)}
    properties = {"layoutId": "CompactCard", "items": [
        {"sourceItem": {"itemType": 2}, "thumbnailType": 3, "id": i + 1}
        for i in range(len(items))]}
    return web_part("QuickLinks", "Quick links", properties, searchable, links=links)


def image(url: str, caption: str, alt: str) -> Part:
    """An Image web part showing ``url`` (a server-relative URL) with a caption."""
    properties = {"imageSourceType": 2, "altText": alt, "overlayText": "", "fileName": ""}
    return web_part("Image", "Image", properties, {"captionText": caption, "altText": alt},
                    images={"imageSource": url})


def call_to_action(text: str, button: str, url: str) -> Part:
    """A Call to action web part with a button."""
    properties = {"alignment": "Center", "buttonText": button}
    return web_part("CallToAction", "Call to action", properties,
                    {"callToActionText": text, "buttonText": button}, links={"buttonURL": url})


def markdown(heading: str, text: str) -> Part:
    """A Markdown web part with one heading and one paragraph, as source and as HTML."""
    source = f"## {heading}\n\n{text}\n"
    rendered = f"<h2>{html.escape(heading)}</h2><p>{html.escape(text)}</p>"
    return web_part("Markdown", "Markdown", {"displayPreview": True, "lineWrapping": True},
                    {"code": source}, html_strings={"html": rendered})


def page(parts: list[Part]) -> str:
    """The CanvasContent1 of a one-column page holding ``parts`` in order."""
    controls = []
    for index, part in enumerate(parts, start=1):
        position = {"zoneIndex": 1, "sectionIndex": 1, "controlIndex": index,
                    "sectionFactor": 12, "layoutIndex": 1}
        data = part.control | {"position": position}
        controls.append(f'<div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
                        f'data-sp-controldata="{encode(data)}">{part.inner}</div>')
    settings = {"controlType": 0, "pageSettingsSlice": {"isDefaultDescription": True,
                                                        "isDefaultThumbnail": True}}
    controls.append(f'<div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
                    f'data-sp-controldata="{encode(settings)}"></div>')
    return f"<div>{''.join(controls)}</div>"
