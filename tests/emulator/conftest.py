"""Fixtures for the emulator's tests: a small tenant built with ``emulator.editing``, a running
emulator serving it, and app-only SharePoint clients signed in through its Entra ID."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import msal
import pytest
import requests
from docx import Document
from office365.sharepoint.client_context import ClientContext

from emulator import editing
from emulator.directory import Directory
from emulator.server import Emulator
from emulator.tenant import Tenant

TENANT_ID = "5d3c9a1e-2b7f-4c8d-9e0a-1f2b3c4d5e6f"
PAGE_CANVAS = ('<div><div data-sp-canvascontrol="" data-sp-canvasdataversion="1.0" '
               'data-sp-controldata="&#123;&quot;controlType&quot;&#58;4,&quot;id&quot;&#58;'
               '&quot;c1&quot;,&quot;position&quot;&#58;&#123;&quot;zoneIndex&quot;&#58;1,'
               '&quot;sectionIndex&quot;&#58;1,&quot;controlIndex&quot;&#58;1,'
               '&quot;sectionFactor&quot;&#58;12&#125;&#125;"><div data-sp-rte="">'
               '<p>Velkommen til <strong>intranettet</strong></p></div></div></div>')


def docx_bytes(text: str) -> bytes:
    """A real Word document holding one paragraph."""
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_tenant() -> Tenant:
    """Two sites (a hub and one associated site), libraries with folders, more items than one
    small page, published news, a draft, a page with a newer draft and unique permissions."""
    directory = Directory(TENANT_ID, "kommune.example")
    anna = directory.add_user("anna", "Anna Andersen", "Kommunikation")
    bo = directory.add_user("bo", "Bo Berg")
    staff = directory.add_group("Medarbejdere", [anna, bo])
    leaders = directory.add_group("Ledere", [anna])
    tenant = Tenant("kommune", directory)
    tenant.clock.advance(timedelta(days=-10))
    intranet = editing.create_site(tenant, "intranet", "Intranet", owners=[anna.login_name],
                                   members=[bo.login_name], visitors=[staff.login_name])
    intranet.is_hub_site = True
    hr = editing.create_site(tenant, "hr", "HR", owners=[anna.login_name])
    hr.hub_site_id = intranet.id
    docs = intranet.list_by_title("Dokumenter")
    editing.add_folder(tenant, intranet, docs, "Politikker", anna)
    editing.add_folder(tenant, intranet, docs, "Fortroligt", anna)
    editing.add_file(tenant, intranet, docs, "Politikker", "Persondata.docx",
                     docx_bytes("Persondatapolitik for kommunen"), anna)
    for number in range(1, 11):
        editing.add_file(tenant, intranet, docs, "", f"Notat {number:02d}.txt",
                         f"Notat nummer {number}".encode(), bo,
                         when=datetime(2024, 1, number, 9, tzinfo=UTC))
    editing.add_file(tenant, intranet, docs, "Fortroligt", "Løn.txt", b"hemmeligt", anna)
    editing.break_inheritance(tenant, intranet, docs, docs.item_by_url(
        f"{docs.root_url}/Fortroligt"), copy=False)
    editing.grant(tenant, intranet, docs, docs.item_by_url(f"{docs.root_url}/Fortroligt"),
                  leaders.login_name, "Read")
    editing.add_page(tenant, intranet, "Nyhed.aspx", "Ny borgerservice", PAGE_CANVAS, anna,
                     description="Borgerservice åbner",
                     banner_url="/sites/intranet/SiteAssets/b.jpg", audiences=[staff.id])
    editing.add_page(tenant, intranet, "Kladde.aspx", "Hemmelig kladde", PAGE_CANVAS, bo,
                     publish=False)
    home = editing.add_page(tenant, intranet, "Om.aspx", "Om os", PAGE_CANVAS, anna, news=False)
    pages = editing.site_pages(intranet)
    editing.save_version(tenant, intranet, pages, home, bo, {"Title": "Om os (udkast)"},
                         publish=False)
    tenant.clock.advance(timedelta(days=10))
    hr_docs = hr.list_by_title("Dokumenter")
    editing.add_file(tenant, hr, hr_docs, "", "Ferie.txt", b"Ferieregler", anna)
    return tenant


@pytest.fixture
def tenant() -> Tenant:
    """A fresh small tenant (see :func:`build_tenant`)."""
    return build_tenant()


@pytest.fixture
def emu(tenant: Tenant, serve: Callable[[Tenant], Emulator]) -> Emulator:
    """The emulator serving :func:`tenant` on free ports."""
    return serve(tenant)


class CASession(requests.Session):
    """A session that trusts the emulator's test CA on every request."""

    def __init__(self, ca_file: Path) -> None:
        super().__init__()
        self.ca_file = str(ca_file)

    def request(self, *args, **kwargs) -> requests.Response:
        kwargs["verify"] = self.ca_file
        return super().request(*args, **kwargs)


def app_token_source(emu: Emulator, client_id: str | None = None) -> Callable[[], dict]:
    """A ``with_access_token`` callback: an app-only SharePoint token from the emulator's Entra
    ID, signed in with the registration's certificate (as ``client_id`` when given)."""
    registration = emu.registration
    app = msal.ConfidentialClientApplication(
        client_id or registration.client_id,
        client_credential={"private_key": registration.certificate.key_file.read_text(),
                           "thumbprint": registration.certificate.thumbprint},
        authority=emu.authority, instance_discovery=False, http_client=CASession(emu.ca_file))

    def acquire() -> dict:
        result = app.acquire_token_for_client(scopes=[f"{emu.sharepoint_url}/.default"])
        assert "access_token" in result, result
        return result

    return acquire


@pytest.fixture
def token_source(emu: Emulator) -> Callable[[str | None], Callable[[], dict]]:
    """``token_source(client_id)``: a token callback for that app (None: the intranet app)."""
    return lambda client_id=None: app_token_source(emu, client_id)


@pytest.fixture
def connect(emu: Emulator) -> Callable[[str], ClientContext]:
    """``connect("intranet")``: a ClientContext for that site, signed in as the intranet app."""
    acquire = app_token_source(emu)
    return lambda name: ClientContext(emu.site_url(name)).with_access_token(acquire)


@pytest.fixture
def bearer(emu: Emulator) -> dict[str, str]:
    """Headers for raw requests: the app's bearer token and verbose JSON."""
    token = app_token_source(emu)()["access_token"]
    return {"Authorization": f"Bearer {token}", "Accept": "application/json;odata=verbose"}
