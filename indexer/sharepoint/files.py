"""Files: the bytes of a file, or of one of its versions, streamed up to a size limit."""

from __future__ import annotations

import requests
from office365.runtime.http.request_options import RequestOptions
from office365.sharepoint.client_context import ClientContext

from indexer.sharepoint.errors import FileTooLarge
from indexer.sharepoint.http import BROKEN_TRANSFER, SharePointSession

CHUNK_SIZE = 64 * 1024


def content_url(ctx: ClientContext, server_relative_url: str, version_id: int | None = None) -> str:
    """The ``$value`` URL of a file, or of one of its versions (``versions(<id>)``).

    The library escapes the file URL (quotes, ``%``, ``&``, ``#``).
    """
    file_url = ctx.web.get_file_by_server_relative_url(server_relative_url).resource_url
    if version_id is not None:
        file_url += f"/versions({int(version_id)})"
    return f"{file_url}/$value"


def download(ctx: ClientContext, session: SharePointSession, server_relative_url: str,
             max_bytes: int, version_id: int | None = None) -> bytes:
    """The file's bytes; FileTooLarge as soon as it turns out to be over ``max_bytes``.

    A body that breaks off is downloaded again, within the session's retry budget.
    """
    url = content_url(ctx, server_relative_url, version_id)
    backoff = session.backoff()
    while True:
        request = RequestOptions(url)
        request.stream = True
        response = ctx.pending_request().execute_request_direct(request)
        try:
            return _read(response, max_bytes, server_relative_url)
        except BROKEN_TRANSFER as error:
            session.retry_broken_transfer(backoff, f"download {server_relative_url}", error)
        finally:
            response.close()


def _read(response: requests.Response, max_bytes: int, name: str) -> bytes:
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise FileTooLarge(f"{name} has {declared} bytes, more than {max_bytes}")
    body = bytearray()
    for chunk in response.iter_content(CHUNK_SIZE):
        body += chunk
        if len(body) > max_bytes:
            raise FileTooLarge(f"{name} has more than {max_bytes} bytes")
    return bytes(body)
