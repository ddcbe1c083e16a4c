"""OpenID Connect discovery and the signing keys, with the keys of Microsoft's documents."""

from __future__ import annotations

from flask import Response, jsonify

from emulator.entra.claims import v2_issuer
from emulator.entra.errors import EntraError, json_error
from emulator.entra.registry import check_tenant, https_only
from emulator.state import EmulatorState, current_state


def openid_configuration_for(state: EmulatorState) -> dict:
    """The v2.0 discovery document. Browser-facing endpoints use the plain-http origin.

    Microsoft's keys, less the device code and Kerberos endpoints, which the emulator lacks.
    """
    api = f"{state.login_url}/{state.tenant_id}"
    browser = f"{state.sharepoint_url}/{state.tenant_id}"
    return {
        "token_endpoint": f"{api}/oauth2/v2.0/token",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt",
                                                  "client_secret_basic"],
        "jwks_uri": f"{api}/discovery/v2.0/keys",
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": v2_issuer(state),
        "request_uri_parameter_supported": False,
        "userinfo_endpoint": f"{state.graph_url}/oidc/userinfo",
        "authorization_endpoint": f"{browser}/oauth2/v2.0/authorize",
        "http_logout_supported": True,
        "frontchannel_logout_supported": True,
        "end_session_endpoint": f"{browser}/oauth2/v2.0/logout",
        "claims_supported": ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name",
                             "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat",
                             "auth_time", "acr", "nonce", "preferred_username", "name", "tid",
                             "ver", "at_hash", "c_hash", "email"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": state.graph_url.removeprefix("https://"),
        "rbac_url": "https://pas.windows.net",
    }


@https_only
def openid_configuration(tenant: str) -> Response:
    """``GET /<tenant>/v2.0/.well-known/openid-configuration``."""
    state = current_state()
    try:
        check_tenant(state, tenant)
    except EntraError as error:
        return json_error(error)
    response = jsonify(openid_configuration_for(state))
    response.headers["Cache-Control"] = "max-age=86400, private"
    return response


@https_only
def keys(tenant: str) -> Response:
    """``GET /<tenant>/discovery/v2.0/keys``: the JWKS that verifies id and access tokens."""
    state = current_state()
    try:
        check_tenant(state, tenant)
    except EntraError as error:
        return json_error(error)
    jwks = state.signer.jwks()
    jwks["keys"] = [key | {"issuer": v2_issuer(state)} for key in jwks["keys"]]
    response = jsonify(jwks)
    response.headers["Cache-Control"] = "max-age=86400, private"
    return response
