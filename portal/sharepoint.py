"""The one SharePoint call the portal makes: a file's bytes, for the image and download proxy.

It signs in with the indexer's app-only credentials (certificate) and refuses every URL that
is not on the configured tenant's SharePoint origin.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urljoin, urlsplit

import requests

from indexer.sharepoint.auth import TokenProvider, TrustingSession
from indexer.sharepoint.errors import TokenFetchFailed
from portal.settings import authority, origin

CHUNK_SIZE = 64 * 1024
TIMEOUT = 30.0
_SITE_PREFIXES = ("sites", "teams")


class FileUnavailable(Exception):
    """The file is not the tenant's, does not exist, or SharePoint did not hand it over."""


class SharePointFiles:
    """Streams files from the tenant's SharePoint with an app-only token."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.origin = origin(config["SHAREPOINT_URL"])
        ca_file = Path(config["CA_FILE"]) if config["CA_FILE"] else None
        self._config = config
        self._tokens: TokenProvider | None = None
        self._http = TrustingSession(ca_file, TIMEOUT)

    def server_path(self, url: str) -> str | None:
        """The server-relative path of a tenant URL (absolute or ``/sites/…``), else None."""
        if not url or any(ord(c) < 32 for c in url) or "\\" in url:
            return None
        absolute = urljoin(self.origin + "/", url.strip())
        parts = urlsplit(absolute)
        if origin(absolute) != self.origin or parts.username or parts.password:
            return None
        path = unquote(parts.path)
        if not path.startswith("/") or "/_api/" in path.lower() or "/../" in path + "/":
            return None
        return path

    def _token(self) -> str:
        if self._tokens is None:
            config = self._config
            self._tokens = TokenProvider(
                authority=authority(config), client_id=config["CLIENT_ID"],
                key_file=Path(config["CERTIFICATE_KEY_FILE"]),
                thumbprint=config["CERTIFICATE_THUMBPRINT"],
                sharepoint_url=config["SHAREPOINT_URL"],
                ca_file=Path(config["CA_FILE"]) if config["CA_FILE"] else None)
        return self._tokens()["access_token"]

    def open(self, path: str) -> requests.Response:
        """A streamed response with the bytes of the file at server-relative ``path``."""
        segments = path.strip("/").split("/")
        site = ("/" + "/".join(segments[:2])
                if len(segments) > 2 and segments[0].lower() in _SITE_PREFIXES else "")
        escaped = quote(path.replace("'", "''"), safe="/")
        url = (f"{self.origin}{site}/_api/web/GetFileByServerRelativePath("
               f"decodedurl='{escaped}')/$value")
        try:
            response = self._http.get(url, stream=True,
                                      headers={"Authorization": f"Bearer {self._token()}"})
        except (requests.RequestException, TokenFetchFailed, OSError) as error:
            raise FileUnavailable(f"{path}: {error!r}") from error
        if response.status_code != 200:
            response.close()
            raise FileUnavailable(f"{path}: HTTP {response.status_code}")
        return response


def chunks(response: requests.Response) -> Iterator[bytes]:
    """The body of a streamed response, closing it at the end."""
    try:
        yield from response.iter_content(CHUNK_SIZE)
    finally:
        response.close()
