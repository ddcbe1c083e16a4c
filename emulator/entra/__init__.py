"""Entra ID: OpenID Connect discovery, keys, sign-in, tokens and sign-out under ``/<tenant>/``.

``<tenant>`` is the tenant id or its domain. Discovery, keys and tokens are served on the
https origin only; the sign-in and sign-out pages also on the plain-http one, which discovery
announces so a browser sees no certificate warning.
"""

from flask import Blueprint

from emulator.entra.authorize import authorize, logout
from emulator.entra.discovery import keys, openid_configuration
from emulator.entra.token import token

blueprint = Blueprint("entra", __name__)
blueprint.add_url_rule("/<tenant>/v2.0/.well-known/openid-configuration",
                       view_func=openid_configuration)
blueprint.add_url_rule("/<tenant>/discovery/v2.0/keys", view_func=keys)
blueprint.add_url_rule("/<tenant>/oauth2/v2.0/authorize", view_func=authorize,
                       methods=["GET", "POST"])
blueprint.add_url_rule("/<tenant>/oauth2/v2.0/token", view_func=token, methods=["POST"])
blueprint.add_url_rule("/<tenant>/oauth2/v2.0/logout", view_func=logout, methods=["GET", "POST"])
