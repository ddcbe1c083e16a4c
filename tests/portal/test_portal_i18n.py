"""Danish by default, English on request, and a Danish translation for every message."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.i18n import catalog_path

ROOT = Path(__file__).resolve().parents[2]


def messages_in_code() -> set[str]:
    """Every message id in the templates and the portal's Python."""
    found = set()
    for folder, method in (("templates", ("**.html", "jinja2")), ("portal", ("**.py", "python"))):
        for _, _, message, _, _ in extract_from_dir(ROOT / folder, method_map=[method]):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_danish_translation():
    with catalog_path("da").open("rb") as po:
        catalog = read_po(po)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = messages_in_code() - translated
    assert not missing, f"add to {catalog_path('da')}: {sorted(missing)}"


def test_language_choice_is_remembered_and_only_known_languages(client):
    page = client.get("/auth/signin").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/language", data={"csrf_token": token, "language": "en",
                                              "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert "Sign in to the intranet" in client.get("/auth/signin").text
    client.post("/language", data={"csrf_token": token, "language": "xx", "next": "/"})
    assert "Sign in to the intranet" in client.get("/auth/signin").text


def test_language_form_needs_the_csrf_token(client):
    assert client.post("/language", data={"language": "en"}).status_code == 400
