"""Scopes and the resources they name: Microsoft Graph (delegated) and SharePoint (app-only)."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.entra.errors import EntraError
from emulator.state import EmulatorState

GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000"
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"
GRAPH_URIS = ("https://graph.microsoft.com", GRAPH_APP_ID)
OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
# The delegated permission a Graph ".default" stands for: what the app registration lists.
GRAPH_DEFAULT_PERMISSIONS = ("User.Read",)
# The app roles each SharePoint access level grants.
SHAREPOINT_ROLES = {"all": ["Sites.FullControl.All"], "selected": ["Sites.Selected"], "none": []}


@dataclass(frozen=True)
class Resource:
    """An API Entra issues tokens for: its token audience and its kind."""

    audience: str
    kind: str  # "graph" or "sharepoint"


@dataclass(frozen=True)
class DelegatedScope:
    """A user's request: OpenID Connect scopes and Graph permissions."""

    oidc: tuple[str, ...]
    permissions: tuple[str, ...]

    @property
    def granted(self) -> str:
        """The ``scope`` of the token response and the ``scp`` claim (no offline_access)."""
        return " ".join(self.permissions + tuple(s for s in self.oidc if s != "offline_access"))


def _invalid_scope(scope: str) -> EntraError:
    return EntraError("invalid_scope", 70011,
                      f"The provided value for the input parameter 'scope' is not valid. The "
                      f"scope '{scope}' is not valid. The emulator issues delegated tokens for "
                      "Microsoft Graph only.")


def _graph_permission(scope: str) -> str | None:
    """``User.Read`` for ``User.Read`` or ``https://graph.microsoft.com/User.Read``."""
    if "/" not in scope:
        return scope
    for uri in GRAPH_URIS:
        if scope.lower().startswith(uri.lower() + "/"):
            return scope[len(uri) + 1:]
    return None


def delegated_scope(scope: str | None) -> DelegatedScope:
    """Parse a user's scope; every non-OIDC scope must be a Graph permission."""
    if not scope or not scope.split():
        raise EntraError("invalid_request", 900144,
                         "The request body must contain the following parameter: 'scope'.")
    oidc, permissions = [], []
    for item in scope.split():
        if item in OIDC_SCOPES:
            oidc.append(item)
            continue
        permission = _graph_permission(item)
        if permission is None:
            raise _invalid_scope(item)
        names = GRAPH_DEFAULT_PERMISSIONS if permission == ".default" else (permission,)
        permissions.extend(n for n in names if n not in permissions)
    return DelegatedScope(tuple(dict.fromkeys(oidc)), tuple(permissions))


def app_only_resource(state: EmulatorState, scope: str | None) -> Resource:
    """The resource of a client-credentials scope, which must be one ``<resource>/.default``."""
    if not scope:
        raise EntraError("invalid_request", 900144,
                         "The request body must contain the following parameter: 'scope'.")
    items = scope.split()
    if len(items) != 1 or not items[0].endswith("/.default"):
        raise EntraError(
            "invalid_scope", 1002012,
            f"The provided value for scope {scope} is not valid. Client credential flows must "
            "have a scope value with /.default suffixed to the resource identifier (application "
            "ID URI).")
    identifier = items[0].removesuffix("/.default").rstrip("/").lower()
    if identifier in (state.sharepoint_url.lower(), SHAREPOINT_APP_ID):
        return Resource(state.sharepoint_url, "sharepoint")
    if identifier in (uri.lower() for uri in GRAPH_URIS):
        return Resource(GRAPH_APP_ID, "graph")
    raise EntraError(
        "invalid_resource", 500011,
        f"The resource principal named {identifier} was not found in the tenant named "
        f"{state.tenant.name}. This can happen if the application has not been installed by the "
        "administrator of the tenant or consented to by any user in the tenant. You might have "
        "sent your authentication request to the wrong tenant.")
