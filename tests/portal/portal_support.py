"""Helpers for the portal tests: a small index of sample news and documents, the portal's
settings against the emulator, a driver of the real sign-in, and strict HTML parsing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import html5lib
import requests
from flask.testing import FlaskClient

from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.document import Document
from indexer.index import SearchIndex

PORTAL_URL = "http://127.0.0.1:5000"
SITE = "site-intranet"
HR_SITE = "site-hr"
NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HOSTILE_HTML = (
    '<p>Kom til møde<script>alert(1)</script></p>'
    '<img src="/sites/intranet/x.png" onerror="alert(2)">'
    '<a href="javascript:alert(3)">klik</a><a href=" jav&#x09;ascript:alert(4)">to</a>'
    '<p onclick="alert(5)" style="background:url(javascript:alert(6))">tekst</p>'
    '<svg><script>alert(7)</script></svg><iframe src="https://evil.example"></iframe>'
    '<img src="https://evil.example/track.gif"><form action="https://evil.example">'
    '<input name="pw"></form><math><mi xlink:href="javascript:alert(8)">m</mi></math>'
)


def group(name: str) -> str:
    """The principal of a sample group."""
    return f"group:{p.stable_oid('group', name)}"


def user(upn: str) -> str:
    """The principal of a sample user."""
    return f"user:{p.stable_oid('user', upn)}"


def news(doc_id: str, title: str, days: float, **fields) -> Document:
    """A news post on the intranet site."""
    when = NOW - timedelta(days=days)
    defaults = dict(id=doc_id, kind="news", title=title, site_id=SITE, list_id="pages",
                    site_title="Intranet", url=f"{PORTAL_URL}/x", modified=when,
                    published=when, author="Sofie Lund", acl=["everyone"],
                    html=f"<p>{title} – brødtekst.</p>", description=f"Om {title.lower()}")
    return Document(**(defaults | fields))


def build_documents(sharepoint_url: str) -> list[Document]:
    """News with audiences and permissions, hostile HTML, and documents with restrictions."""
    image = c.IMAGE_WEB_PART_URL
    docs = [news(f"n{number:02d}", f"Nyhed nummer {number}", number + 10)
            for number in range(1, 26)]
    docs += [
        news("welcome", "Velkommen til intranettet", 1, banner=image,
             banner_alt="En elbil", html=f'<p>Hej</p><img src="{image}" alt="Elbil">'),
        news("teachers", c.TEACHERS_NEWS_TITLE, 2, audiences=[group(p.TEACHERS)[6:]]),
        news("admin", c.ADMINISTRATION_NEWS_TITLE, 3, acl=[group(p.ADMINISTRATION)],
             banner=image),
        news("hostile", c.HOSTILE_NEWS_TITLE, 4, html=HOSTILE_HTML,
             banner="https://evil.example/banner.jpg"),
        news("hrnews", "Nyt fra HR", 5, site_id=HR_SITE, site_title="HR"),
        Document(id="public-doc", kind="document", title="Personalehåndbog 2026",
                 url=sharepoint_url + quote(c.SHARED_WITH_EVERYONE_PATH), site_id=HR_SITE,
                 list_id="docs", site_title="HR", library="Dokumenter",
                 path=c.SHARED_WITH_EVERYONE_PATH, file_type="pdf", size=1_572_864,
                 author="Camilla Nørgaard", modified=NOW - timedelta(days=1),
                 body="Personalehåndbogen beskriver dine rettigheder.", acl=["everyone"]),
        Document(id="secret-doc", kind="document", title="Lønaftale", site_id=HR_SITE,
                 url=sharepoint_url + quote(c.SECRET_PATH), list_id="docs", site_title="HR",
                 path=c.SECRET_PATH, file_type="docx", size=20_000, body=c.SECRET_WORD,
                 modified=NOW - timedelta(days=2), acl=[user(c.SECRET_USER)]),
        Document(id="foreign-doc", kind="document", title="Udefra", site_id=HR_SITE,
                 url="https://evil.example/sites/hr/x.docx", list_id="docs",
                 modified=NOW - timedelta(days=3), acl=["everyone"]),
        Document(id="about", kind="page", title=c.PAGE_TITLE, site_id=SITE, list_id="pages",
                 url=f"{sharepoint_url}/sites/intranet/SitePages/Om.aspx",
                 html="<h2>Om</h2><p>Intranettet er for alle.</p>",
                 modified=NOW - timedelta(days=30), acl=["everyone"]),
    ]
    return docs


def build_index(path: Path, docs: list[Document]) -> Path:
    """A Whoosh index at ``path`` holding ``docs``."""
    index = SearchIndex.create(path)
    with index.batch() as batch:
        for doc in docs:
            batch.upsert(doc)
    return path


def portal_config(emu: Emulator, tmp_path: Path, **overrides) -> dict:
    """Settings that point the portal at the emulator and a temp dir."""
    registration = emu.registration
    return {
        "TESTING": True, "SECRET_KEY": "test-secret", "PORTAL_URL": PORTAL_URL,
        "INDEX_DIR": tmp_path / "index", "SESSION_DB": tmp_path / "sessions.sqlite3",
        "TENANT_ID": emu.tenant.directory.tenant_id,
        "AUTHORITY_HOST": emu.authority.rsplit("/", 1)[0],
        "CLIENT_ID": registration.client_id, "CLIENT_SECRET": registration.client_secret,
        "CERTIFICATE_KEY_FILE": str(registration.certificate.key_file),
        "CERTIFICATE_THUMBPRINT": registration.certificate.thumbprint,
        "CA_FILE": str(emu.ca_file), "SHAREPOINT_URL": emu.sharepoint_url,
        "GRAPH_URL": emu.graph_url, "PINNED_NEWS": "n05",
        "QUICK_LINKS": "Selvbetjening|https://selvbetjening.sundby.dk;Kantinen|/news",
    } | overrides


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(page: str) -> str:
    """The CSRF token of a page's first form."""
    return CSRF.search(page).group(1)


@dataclass
class SignIn:
    """Drives the real sign-in: the portal's test client plus requests for Entra's pages."""

    client: FlaskClient
    emulator: Emulator

    def start(self, next_path: str = "/", shared: bool = False) -> str:
        """Open the sign-in page and submit it; return the authorize URL."""
        page = self.client.get(f"/auth/signin?next={quote(next_path)}")
        assert page.status_code == 200
        response = self.client.post("/auth/signin", data={
            "csrf_token": csrf_token(page.text), "next": next_path,
            "shared": "yes" if shared else "no"})
        assert response.status_code == 303, response.text
        return response.headers["Location"]

    def pick(self, auth_uri: str, upn: str, browser: requests.Session | None = None) -> str:
        """Pick ``upn`` on Entra's page; return the portal callback path with its query."""
        browser = browser or requests.Session()
        page = browser.get(auth_uri, allow_redirects=False, timeout=10)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"',
                                 page.text))
        fields = {k: unescape(v) for k, v in fields.items()}
        oid = self.emulator.tenant.directory.user_by_upn(upn).oid
        action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
        answer = browser.post(urljoin(auth_uri, action), data=fields | {"user": oid},
                              allow_redirects=False, timeout=10)
        assert answer.status_code == 302, answer.text
        location = urlsplit(answer.headers["Location"])
        assert f"{location.scheme}://{location.netloc}" == PORTAL_URL
        return f"{location.path}?{location.query}"

    def __call__(self, upn: str = p.TEACHER, shared: bool = False, next_path: str = "/"):
        """Sign ``upn`` in; return the callback's response."""
        callback = self.pick(self.start(next_path, shared), upn)
        response = self.client.get(callback)
        assert response.status_code == 302, response.text
        return response


def parse_html(text: str) -> ET.Element:
    """Parse a page strictly: any HTML parse error fails the test."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(text)


def title_of(text: str) -> str:
    """The text of a page's <title>."""
    return parse_html(text).find("head/title").text
