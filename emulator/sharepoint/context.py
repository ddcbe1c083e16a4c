"""What a handler needs to answer one request: the tenant, the site, the format and options."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import Request

from emulator.sharepoint.errors import invalid_query
from emulator.sharepoint.odata import Format
from emulator.sharepoint.query import Options
from emulator.state import EmulatorState
from emulator.tenant import Site, Tenant


@dataclass
class Ctx:
    """One SharePoint REST request against one site collection.

    ``origin`` is the scheme and host the client used; server-relative URLs become absolute
    with it. ``app_id`` is the app the bearer token was issued to.
    """

    state: EmulatorState
    site: Site
    origin: str
    fmt: Format
    options: Options
    request: Request
    app_id: str = ""

    @property
    def verb(self) -> str:
        """The HTTP method meant: ``X-HTTP-Method`` (MERGE, DELETE…) or the request's own."""
        return (self.request.headers.get("X-HTTP-Method") or self.request.method).upper()

    @property
    def tenant(self) -> Tenant:
        """The tenant being served."""
        return self.state.tenant

    @property
    def web_url(self) -> str:
        """Absolute URL of the site's root web."""
        return f"{self.origin}{self.site.url}"

    @property
    def service_root(self) -> str:
        """``<web url>/_api``."""
        return f"{self.web_url}/_api"

    def api(self, path: str) -> str:
        """The absolute URL of ``_api/<path>``."""
        return f"{self.service_root}/{path}"

    def absolute(self, server_relative: str) -> str:
        """An absolute URL for a server-relative one (absolute URLs pass through)."""
        if not server_relative or "://" in server_relative:
            return server_relative
        return f"{self.origin}/{server_relative.lstrip('/')}"

    @property
    def metadata_url(self) -> str:
        """The ``odata.metadata`` base of minimal-metadata answers."""
        return f"{self.service_root}/$metadata"

    def body(self) -> dict:
        """The request's JSON body (an empty object when there is none)."""
        data = self.request.get_data(as_text=True)
        if not data.strip():
            return {}
        try:
            parsed: Any = json.loads(data)
        except ValueError as exc:
            raise invalid_query("Invalid JSON. A token was not recognized in the JSON "
                                "content.") from exc
        if not isinstance(parsed, dict):
            raise invalid_query("Invalid JSON. An object was expected.")
        return parsed
