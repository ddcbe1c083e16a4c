"""The named errors of the SharePoint client, and how the library's errors map onto them.

None of them derives from ``requests.RequestException``: the library retries those on its own
(with real sleeps) around its form-digest call, and a named error means the retrying is over.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

from office365.runtime.client_request_exception import ClientRequestException

from indexer.sharepoint.constants import INVALID_CHANGE_TOKEN


class SharePointError(Exception):
    """Something went wrong talking to SharePoint or Entra ID."""


class TokenFetchFailed(SharePointError):
    """Entra ID gave no app-only token; the message carries its AADSTS code and text."""


class TokenRejected(SharePointError):
    """SharePoint answered 401 to a freshly fetched token (no permission for the app?)."""


class SharePointUnavailable(SharePointError):
    """SharePoint kept failing (5xx, dropped connections, broken bodies) until we gave up."""


class ThrottledError(SharePointUnavailable):
    """SharePoint kept throttling (429/503) past the retry budget.

    ``retry_after`` is the wait, in seconds, that SharePoint asked for last.
    """

    def __init__(self, message: str, retry_after: float = 0.0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class SiteNotAccessible(SharePointError):
    """The site does not exist, or the app may not read it (403, or 404 for the site)."""


class NotFound(SharePointError):
    """A list, item or file does not exist (any more)."""


class TooManyResults(SharePointError):
    """A listing (items, changes) ran past its paging bound."""


class ChangeTokenExpired(SharePointError):
    """SharePoint refused a change token (SPInvalidChangeTokenException): enumerate again."""


class FileTooLarge(SharePointError):
    """A file is larger than the configured limit; it was not downloaded."""


def _is_site_request(url: str) -> bool:
    """Whether a failed request addressed the site itself (form digest, web or site)."""
    path = urlsplit(url).path.rstrip("/").lower()
    return path.endswith(("/_api/contextinfo", "/_api/web", "/_api/site"))


def translate(error: ClientRequestException, site_url: str) -> SharePointError | None:
    """The named error for a library error, or None when it has no name here."""
    status = getattr(error.response, "status_code", None)
    url = getattr(error.response, "url", None) or ""
    if INVALID_CHANGE_TOKEN in (error.code or ""):
        return ChangeTokenExpired(error.message or error.code)
    if status == 403 or (status == 404 and _is_site_request(url)):
        return SiteNotAccessible(f"{site_url}: HTTP {status} {error.message}".rstrip())
    if status == 404:
        return NotFound(f"{url}: {error.message}".rstrip())
    return None


@contextmanager
def named_errors(site_url: str) -> Iterator[None]:
    """Turn the library's errors for ``site_url`` into the named errors above."""
    try:
        yield
    except ClientRequestException as error:
        named = translate(error, site_url)
        if named is None:
            raise
        raise named from error
