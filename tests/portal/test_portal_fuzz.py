"""Every route of the portal (read from the app's url_map, so a new route is fuzzed too) with
long, malformed and unicode values in its path, in every query parameter and form field the
portal reads (found in its source), signed in and signed out: never a 500, never reflected
markup, never a header split.

``FUZZ_EXAMPLES`` sets the number of random requests per sign-in state (default 300); a fixed
list of hostile values is also sent to every route and parameter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from portal_support import CSRF, SignIn, portal_config
from werkzeug.routing import Rule

import portal
from emulator.sample import people as p
from emulator.server import Emulator
from portal import create_app

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
MARKER = "<x-fuzz"
_READ = re.compile(r'(?:args|form|values)\.get(?:list)?\(\s*"(\w+)"')
HOSTILE = [
    "", " ", "\x00", "\r\nSet-Cookie: x=1", "%", "%zz", "%00", "-1", "0", "²", "٣",
    "99999999999999999999999", "1e309", "../../../../etc/passwd", "..%2f..%2f",
    "{{7*7}}", "${7*7}", "' OR '1'='1", '"><x-fuzz onmouseover=alert(1)>',
    "<x-fuzz>javascript:alert(1)</x-fuzz>", "javascript:alert(1)", "//evil.example",
    "\u202egnp.exe", "\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "İıß", "æøå" * 700, "a" * 2_100, "<x-fuzz>" * 100,
    '"' * 300, "OR " * 200, "\\", "\U0010ffff",
]
VALUES = st.sampled_from(HOSTILE) | st.text(max_size=40) | st.text(
    st.sampled_from('<>"\'&%/\\:;=?#*-x '), max_size=60).map(lambda s: MARKER + s)


def read_parameters() -> list[str]:
    """Every query parameter and form field the portal's code reads, and msal's code/state."""
    names = {"code", "state", "csrf_token"}
    for source in Path(portal.__file__).parent.glob("*.py"):
        names.update(_READ.findall(source.read_text(encoding="utf-8")))
    return sorted(names)


PARAMETERS = read_parameters()


def routes(app: Flask) -> list[tuple[str, Rule]]:
    """(method, rule) for every route of the app."""
    return sorted(((method, rule) for rule in app.url_map.iter_rules()
                   for method in sorted(rule.methods - {"HEAD", "OPTIONS"})),
                  key=lambda pair: (pair[1].rule, pair[0]))


def path_of(rule: Rule, value: str) -> str:
    """The rule's path with ``value`` in each of its variables."""
    return re.sub(r"<[^>]+>", lambda _: quote(value, safe="") or "x", rule.rule)


class Fuzzer:
    """Sends requests and checks each answer; counts requests and server errors."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.sent = 0
        self.errors: list[str] = []

    def send(self, method: str, rule: Rule, value: str, fields: dict[str, str]) -> None:
        path = path_of(rule, value)
        if method == "GET":
            response = self.client.get(path, query_string=fields)
        else:
            response = self.client.post(path, data=fields, query_string=fields)
        self.sent += 1
        body = response.get_data(as_text=True) if not response.is_streamed else ""
        where = f"{method} {path[:80]} {dict((k, v[:20]) for k, v in fields.items())}"
        if response.status_code >= 500 and response.status_code != 503:
            self.errors.append(f"{response.status_code} {where}")
        if MARKER in body.lower():
            self.errors.append(f"markup reflected by {where}")
        if any("\n" in v or "\r" in v for v in response.headers.values()):
            self.errors.append(f"header split by {where}")


@pytest.fixture
def quiet_app(emulator: Emulator, index_dir: Path, tmp_path: Path):
    """The portal with server errors answered as 500s (not raised), so they can be counted."""
    app = create_app(portal_config(emulator, tmp_path, PROPAGATE_EXCEPTIONS=False))
    yield app
    app.extensions["portal.content"].close()


@pytest.fixture(params=["signed-out", "signed-in"])
def fuzzer(request, quiet_app: Flask, emulator: Emulator) -> Fuzzer:
    client = quiet_app.test_client()
    if request.param == "signed-in":
        SignIn(client, emulator)(p.TEACHER)
    return Fuzzer(client)


def _safe(method: str, rule: Rule) -> bool:
    """Whether a request cannot end the fuzzing session (sign-out is fuzzed without a token)."""
    return rule.endpoint not in ("auth.signout", "auth.expired")


def test_every_route_and_parameter_survives_hostile_values(quiet_app, fuzzer):
    all_routes = routes(quiet_app)
    assert len(all_routes) >= 20 and {"q", "page", "next", "src", "language"} <= set(PARAMETERS)
    for method, rule in all_routes:
        for value in HOSTILE:
            if rule.arguments:
                fuzzer.send(method, rule, value, {})
            fields = {name: value for name in PARAMETERS}
            if not _safe(method, rule):
                fields["csrf_token"] = "x"
            fuzzer.send(method, rule, "x", fields)
    assert fuzzer.errors == []
    with_variables = sum(1 for _, rule in all_routes if rule.arguments)
    assert fuzzer.sent == (len(all_routes) + with_variables) * len(HOSTILE)


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_values_in_random_parameters(quiet_app, fuzzer, data):
    method, rule = data.draw(st.sampled_from(routes(quiet_app)))
    fields = data.draw(st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=5))
    if method == "POST" and _safe(method, rule) and data.draw(st.booleans()):
        form = CSRF.search(fuzzer.client.get("/auth/signin?next=/").text)
        fields["csrf_token"] = form.group(1) if form else ""
    fuzzer.send(method, rule, data.draw(VALUES), fields)
    assert fuzzer.errors == []


QUERIES = st.text(max_size=80) | st.lists(st.sampled_from(
    ['"', "-", "OR", "*", "site:", "type:", "author:", "ferie", "ferie*", "æøå", "\x00", "<x-fuzz",
     "\u202e", "ß", " "]), max_size=20).map("".join)


@pytest.fixture
def teacher(quiet_app: Flask, emulator: Emulator) -> FlaskClient:
    """A teacher signed in once (hypothesis keeps a test's fixtures across its examples)."""
    client = quiet_app.test_client()
    SignIn(client, emulator)(p.TEACHER)
    return client


@settings(max_examples=EXAMPLES // 2,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_any_search_gives_a_result_page_and_any_prefix_suggestions(teacher, query):
    page = teacher.get("/search", query_string={"q": query})
    assert page.status_code == 200 and MARKER not in page.text.lower()
    suggestions = teacher.get("/search/suggest", query_string={"q": query})
    assert suggestions.status_code == 200 and isinstance(suggestions.json["suggestions"], list)
