"""SharePoint's error answers: HTTP status, ``"<HRESULT>, <.NET type>"`` code and message.

Verbose requests get ``{"error": {...}}``, JSON light requests ``{"odata.error": {...}}``,
both with ``{"code", "message": {"lang", "value"}}`` as SharePoint Online sends them.
"""

from __future__ import annotations

INVALID_QUERY = "-1, Microsoft.SharePoint.Client.InvalidClientQueryException"
ARGUMENT = "-2147024809, System.ArgumentException"
FILE_NOT_FOUND = "-2147024894, System.IO.FileNotFoundException"
SP_EXCEPTION = "-2146232832, Microsoft.SharePoint.SPException"


class SharePointError(Exception):
    """An error SharePoint answers with; ``headers`` are added to the response."""

    def __init__(self, status: int, code: str, message: str,
                 headers: dict[str, str] | None = None, payload: dict | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.payload = headers or {}, payload

    def body(self, light: bool) -> dict:
        """The JSON error body for a verbose (``error``) or light (``odata.error``) request."""
        if self.payload is not None:
            return self.payload
        error = {"code": self.code, "message": {"lang": "en-US", "value": self.message}}
        return {"odata.error" if light else "error": error}


def resource_not_found(segment: str) -> SharePointError:
    """A path segment that names nothing (OData's own message)."""
    return SharePointError(404, INVALID_QUERY, f"Cannot find resource for the request {segment}.")


def invalid_query(message: str) -> SharePointError:
    """A malformed query option or request body."""
    return SharePointError(400, INVALID_QUERY, message)


def invalid_expression(expression: str) -> SharePointError:
    """A ``$filter`` or ``$orderby`` that does not parse."""
    return invalid_query(f'The expression "{expression}" is not valid.')


def no_such_property(name: str, type_name: str) -> SharePointError:
    """A ``$select`` or path naming a property the entity type does not have."""
    return invalid_query(f"The property '{name}' does not exist on type '{type_name}'. "
                         "Make sure to only use property names that are defined by the type.")


def no_such_field(name: str) -> SharePointError:
    """A ``$select`` naming a column the list does not have."""
    return invalid_query(f"The field or property '{name}' does not exist.")


def no_such_column(name: str) -> SharePointError:
    """A ``$filter`` or ``$orderby`` on a column the list does not have."""
    return SharePointError(400, ARGUMENT,
                           f"Column '{name}' does not exist. It may have been deleted by another "
                           "user.")


def lookup_not_expanded(path: str, navigation: str) -> SharePointError:
    """``$select=Author/Title`` without ``$expand=Author``."""
    return invalid_query(f"The query to field '{path}' is not valid. The $select query string "
                         "must specify the target fields and the $expand query string must "
                         f"contains {navigation}.")


def list_not_found_by_title(title: str, web_url: str) -> SharePointError:
    """``GetByTitle`` of a missing list."""
    return SharePointError(404, "-1, System.ArgumentException",
                           f"List '{title}' does not exist at site with URL '{web_url}'.")


def list_not_found() -> SharePointError:
    """``lists(guid'…')`` or ``GetById`` of a missing list."""
    return SharePointError(404, "-2130575322, Microsoft.SharePoint.SPException",
                           "List does not exist.\n\nThe page you selected contains a list that "
                           "does not exist.  It may have been deleted by another user.")


def item_not_found() -> SharePointError:
    """``items(n)`` of a missing item."""
    return SharePointError(404, ARGUMENT,
                           "Item does not exist. It may have been deleted by another user.")


def file_not_found(url: str) -> SharePointError:
    """A file addressed by URL that does not exist."""
    return SharePointError(404, "-2130575338, Microsoft.SharePoint.SPException",
                           f"The file {url} does not exist.")


def not_found() -> SharePointError:
    """A folder, site or file by id that does not exist."""
    return SharePointError(404, FILE_NOT_FOUND, "File Not Found.")


def principal_not_found(kind: str) -> SharePointError:
    """``getuserbyid`` or ``sitegroups(n)`` of a missing principal; ``kind`` is User or Group."""
    return SharePointError(404, SP_EXCEPTION, f"{kind} cannot be found.")


def out_of_range() -> SharePointError:
    """A version or other indexed child that does not exist."""
    return SharePointError(404, ARGUMENT, "Value does not fall within the expected range.")


def unauthorized(status: int, message: str, headers: dict[str, str]) -> SharePointError:
    """A refused bearer token: 401 with SharePoint's challenge, or 403 for an app without a
    right to the site. 401 answers carry OAuth's ``error_description`` body."""
    payload = {"error_description": message} if status == 401 else None
    return SharePointError(status, "-2147024891, System.UnauthorizedAccessException", message,
                           headers, payload)


def throttled_query() -> SharePointError:
    """A filter or sort on a non-indexed column of a list over the view threshold."""
    return SharePointError(500, "-2147024860, Microsoft.SharePoint.SPQueryThrottledException",
                           "The attempted operation is prohibited because it exceeds the list "
                           "view threshold.")


def invalid_change_token(message: str) -> SharePointError:
    """A change token that is malformed, of another object, or older than the change log."""
    return SharePointError(500, "-2146232832, Microsoft.SharePoint.SPInvalidChangeTokenException",
                           message)


def method_not_allowed(method: str, resource: str) -> SharePointError:
    """A GET to an operation that needs POST, or the other way round."""
    return SharePointError(405, "-1, Microsoft.SharePoint.Client.ClientServiceException",
                           f"The HTTP method '{method}' cannot be used to access the resource "
                           f"'{resource}'. The operation type of the resource is specified as "
                           "'Default'. Please use correct HTTP method to invoke the resource.")
