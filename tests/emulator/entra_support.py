"""Helpers for the Entra ID and Graph tests: a small tenant, msal set up as the reference says,
and a "browser" that drives the sign-in page."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import jwt
import msal
import pytest
import requests

from emulator.directory import Directory, User
from emulator.server import PORTAL_REDIRECT_PATH, Emulator
from emulator.tenant import Tenant

TENANT_ID = "7d3c5e0a-1b2f-4c6d-9e8f-0a1b2c3d4e5f"
DOMAIN = "testkommune.dk"
REDIRECT_URI = f"http://127.0.0.1:5000{PORTAL_REDIRECT_PATH}"
OVERAGE_GROUPS = 205

MsalApp = msal.ConfidentialClientApplication


def build_tenant() -> Tenant:
    """Anne (editor), Bo, and Ole who is in more groups than a token can hold."""
    directory = Directory(tenant_id=TENANT_ID, domain=DOMAIN)
    anne = directory.add_user("anne", "Anne Jensen", "Sagsbehandler")
    bo = directory.add_user("bo", "Bo Hansen", "IT-konsulent")
    ole = directory.add_user("ole", "Ole Overgaard", "Projektleder")
    directory.add_group("Alle medarbejdere", [anne, bo, ole])
    directory.add_group("Redaktører", [anne], microsoft365=True)
    for number in range(OVERAGE_GROUPS):
        directory.add_group(f"Projektgruppe {number}", [ole])
    return Tenant(name="Testkommune", directory=directory)


def user(emu: Emulator, name: str) -> User:
    """A user of the test tenant by login name, such as ``anne``."""
    return emu.tenant.directory.user_by_upn(f"{name}@{DOMAIN}")


class TrustingSession(requests.Session):
    """requests that trusts the emulator's CA on every request (see the msal reference)."""

    def __init__(self, ca_file: str | Path) -> None:
        super().__init__()
        self.ca_file = str(ca_file)

    def request(self, *args, **kwargs) -> requests.Response:
        kwargs.setdefault("verify", self.ca_file)
        kwargs.setdefault("timeout", 10)
        return super().request(*args, **kwargs)


def confidential_app(emu: Emulator, http: requests.Session, credential: str | dict,
                     client_id: str | None = None) -> MsalApp:
    """A fresh msal app (own token cache) against the emulator."""
    return msal.ConfidentialClientApplication(
        client_id or emu.registration.client_id, client_credential=credential,
        authority=emu.authority, instance_discovery=False, http_client=http)


def certificate_credential(emu: Emulator) -> dict:
    """The registered certificate, as the indexer passes it to msal."""
    certificate = emu.registration.certificate
    return {"private_key": certificate.key_file.read_text(), "thumbprint": certificate.thumbprint}


@dataclass
class Form:
    """A form of a page: where it posts, its hidden fields and its submit buttons."""

    action: str
    fields: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)


class FormParser(HTMLParser):
    """Collects the forms of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attributes.get("action") or ""))
        elif tag == "input" and attributes.get("type") == "hidden":
            self.forms[-1].fields[attributes["name"]] = attributes.get("value") or ""
        elif tag == "button" and attributes.get("name"):
            self.forms[-1].buttons.append((attributes["name"], attributes.get("value")))


def only_form(html: str) -> Form:
    """The one form of a page."""
    parser = FormParser()
    parser.feed(html)
    (form,) = parser.forms
    return form


def start_flow(app: msal.ClientApplication, redirect_uri: str = REDIRECT_URI,
               scopes: tuple[str, ...] = ("User.Read",), **kwargs) -> dict:
    """initiate_auth_code_flow; msal warns unless form_post is used, which the portal avoids."""
    if kwargs.get("response_mode") == "form_post":
        return app.initiate_auth_code_flow(list(scopes), redirect_uri=redirect_uri, **kwargs)
    with pytest.warns(UserWarning, match="form_post"):
        return app.initiate_auth_code_flow(list(scopes), redirect_uri=redirect_uri, **kwargs)


def pick(browser: requests.Session, auth_uri: str, who: User) -> requests.Response:
    """Open the sign-in page and press the button of ``who``."""
    page = browser.get(auth_uri, allow_redirects=False)
    assert page.status_code == 200, page.text
    form = only_form(page.text)
    assert ("user", who.oid) in form.buttons
    return browser.post(urljoin(auth_uri, form.action), data=form.fields | {"user": who.oid},
                        allow_redirects=False)


def auth_response(response: requests.Response) -> dict[str, str]:
    """What the app's redirect URI receives: the query of a redirect, or a form_post form."""
    if response.status_code == 302:
        return dict(parse_qsl(urlsplit(response.headers["Location"]).query))
    assert response.status_code == 200, response.text
    return only_form(response.text).fields


def sign_in(app: msal.ClientApplication, browser: requests.Session, who: User,
            **kwargs) -> dict:
    """The whole code flow with PKCE, as the portal runs it; returns msal's result."""
    flow = start_flow(app, prompt="select_account", **kwargs)
    return app.acquire_token_by_auth_code_flow(flow, auth_response(pick(browser, flow["auth_uri"],
                                                                        who)))


def validate_id_token(emu: Emulator, http: requests.Session, id_token: str) -> dict:
    """Validate an id token the way the portal must: JWKS from discovery, aud, iss, exp, tid."""
    config = http.get(f"{emu.authority}/v2.0/.well-known/openid-configuration").json()
    keys = jwt.PyJWKSet.from_dict(http.get(config["jwks_uri"]).json())
    key = keys[jwt.get_unverified_header(id_token)["kid"]]
    claims = jwt.decode(id_token, key.key,
                        algorithms=config["id_token_signing_alg_values_supported"],
                        audience=emu.registration.client_id, issuer=config["issuer"], leeway=30,
                        options={"require": ["exp", "iat", "nbf", "aud", "iss", "sub", "tid"]})
    assert claims["tid"] == emu.tenant.directory.tenant_id
    return claims


def unverified(token: str) -> dict:
    """The claims of a token, unchecked (the test checks what it needs)."""
    return jwt.decode(token, options={"verify_signature": False})
