"""Helpers for the sample tenant's tests: look-ups, who may read what, and file text."""

from __future__ import annotations

import html
import io
import json
import re
from html.parser import HTMLParser

import docx
import openpyxl
import pptx
import pypdf

from emulator.sample import catalogue as c
from emulator.tenant import (
    DOCUMENT_LIBRARY,
    ROLE_DEFINITIONS,
    SHAREPOINT_GROUP,
    USER,
    ListItem,
    Site,
    SPList,
    Tenant,
    Version,
)

FORMATS = {"docx", "xlsx", "pptx", "pdf", "txt", "csv", "html", "md"}


def library(tenant: Tenant, site_url: str, title: str) -> tuple[Site, SPList]:
    site = tenant.site_by_url(site_url)
    return site, site.list_by_title(title)


def find(tenant: Tenant, site_url: str, title: str, name_or_title: str) -> ListItem:
    _, lst = library(tenant, site_url, title)
    return next(i for i in lst.items.values()
                if name_or_title in (i.name, i.fields.get("Title")))


def documents(tenant: Tenant) -> list[tuple[Site, SPList, ListItem]]:
    """Every file in a document library, images in Site Assets excepted."""
    return [(site, lst, item) for site in tenant.sites.values() for lst in site.lists.values()
            if lst.base_template == DOCUMENT_LIBRARY and lst.title != c.SITE_ASSETS
            for item in lst.items.values() if not item.is_folder]


def pages(tenant: Tenant, site_url: str = c.INTRANET) -> list[ListItem]:
    return list(library(tenant, site_url, c.SITE_PAGES)[1].items.values())


def published_news(tenant: Tenant, site_url: str = c.INTRANET) -> list[ListItem]:
    return [i for i in pages(tenant, site_url)
            if i.fields["PromotedState"] == 2 and i.current.major >= 1]


def published(item: ListItem) -> Version:
    """The newest published (major) version of an item."""
    return next(v for v in reversed(item.versions) if v.minor == 0)


def readers(tenant: Tenant, site: Site, lst: SPList | None = None,
            item: ListItem | None = None) -> set[str]:
    """The UPNs of the users whose effective roles let them view the web, list or item."""
    directory = tenant.directory
    everyone = {u.upn for u in directory.users.values()}

    def expand(principal_id: int) -> set[str]:
        principal = site.principals[principal_id]
        claim = principal.login_name.rsplit("|", 1)[-1]
        if principal.principal_type == SHAREPOINT_GROUP:
            return set().union(*(expand(m) for m in principal.members))
        if principal.login_name == directory.everyone_login_name:
            return everyone
        if principal.principal_type == USER:
            return {claim}
        return {directory.users[oid].upn for oid in directory.groups[claim].members}

    return set().union(*(expand(a.principal_id) for a in site.effective_role_assignments(lst, item)
                         if any(ROLE_DEFINITIONS[r].role_type_kind >= 2 for r in a.role_ids)))


def text_of(name: str, data: bytes) -> str:
    """The text of a file, read with the library of its format."""
    extension = name.rpartition(".")[2]
    if extension == "docx":
        document = docx.Document(io.BytesIO(data))
        cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
        return "\n".join([para.text for para in document.paragraphs] + cells)
    if extension == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
    if extension == "pptx":
        deck = pptx.Presentation(io.BytesIO(data))
        return "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                         if shape.has_text_frame)
    if extension == "pdf":
        return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8-sig")


def version_text(item: ListItem, version: Version) -> str:
    """Everything searchable in one version: its fields and, for files, their text."""
    fields = json.dumps(version.fields, default=str, ensure_ascii=False)
    if item.name.endswith(".aspx") or item.name in (c.CORRUPT_FILE, c.EMPTY_FILE):
        return fields
    if item.name.rpartition(".")[2] in FORMATS:
        return fields + text_of(item.name, version.read())
    return fields


def words_in(text: str) -> set[str]:
    return set(re.findall(r"\w+", html.unescape(text).lower()))


class Canvas(HTMLParser):
    """Collects the control data and web part data of a CanvasContent1."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.web_parts: list[dict] = []
        self.rich_text = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "data-sp-controldata" in found:
            self.controls.append(json.loads(found["data-sp-controldata"]))
        if "data-sp-webpartdata" in found:
            self.web_parts.append(json.loads(found["data-sp-webpartdata"]))
        self.rich_text += "data-sp-rte" in found
