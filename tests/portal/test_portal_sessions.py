"""Shared computers: kiosk ranges, idle expiry on the server, the warning, and sign-out."""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from portal_support import PORTAL_URL, parse_html, portal_config

from emulator.sample import people as p
from portal import create_app
from portal.sessions import is_kiosk_address


def later(app, seconds):
    """Move the session store's clock ``seconds`` ahead."""
    app.extensions["portal.sessions"].clock = lambda: time.time() + seconds


def test_kiosk_session_ends_after_the_idle_time(app, auth, client):
    auth(p.TEACHER, shared=True)
    later(app, 9 * 60)
    assert client.get("/").status_code == 200  # still in time, and now used again
    later(app, 9 * 60 + 11 * 60)
    response = client.get("/news")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/expired"
    ended = client.get("/auth/expired")
    assert ended.status_code == 303
    target = urlsplit(ended.headers["Location"])
    assert target.path.endswith("/oauth2/v2.0/logout")  # Entra forgets the kiosk user too
    assert parse_qs(target.query)["post_logout_redirect_uri"] == [f"{PORTAL_URL}/"]
    later(app, 0)
    assert client.get("/").status_code == 302
    signin = client.get("/auth/signin")
    assert "Du blev logget ud, fordi intranettet ikke blev brugt" in signin.text


def test_personal_session_outlives_the_kiosk_idle_time(app, auth, client):
    auth(p.TEACHER)
    later(app, 7 * 3600)
    assert client.get("/").status_code == 200
    later(app, 7 * 3600 + 8 * 3600 + 60)
    assert client.get("/").status_code == 302
    response = client.get("/auth/expired")
    assert response.headers["Location"] == "/auth/signin"


def test_kiosk_page_shows_the_idle_time_and_leaves_by_itself(auth, client):
    auth(p.TEACHER, shared=True)
    page = client.get("/").text
    tree = parse_html(page)
    refresh = next(m for m in tree.iter("meta") if m.get("http-equiv") == "refresh")
    seconds, url = refresh.get("content").split(";url=")
    assert 600 <= int(seconds) <= 605 and url == "/auth/expired"
    assert "efter 10 minutter uden aktivitet" in page
    assert 595 <= int(tree.find(".//p[@id='idle-note']").get("data-idle")) <= 600


def test_kiosk_page_counts_from_the_last_recorded_use(app, auth, client):
    auth(p.TEACHER, shared=True)
    later(app, 5)  # within TOUCH_EVERY: the store keeps the earlier time
    tree = parse_html(client.get("/").text)
    refresh = next(m for m in tree.iter("meta") if m.get("http-equiv") == "refresh")
    assert int(refresh.get("content").split(";")[0]) <= 600


def test_personal_page_has_no_idle_refresh(signed_in):
    tree = parse_html(signed_in.get("/").text)
    assert not [m for m in tree.iter("meta") if m.get("http-equiv") == "refresh"]


def test_expired_page_when_still_signed_in_goes_home(signed_in):
    assert signed_in.get("/auth/expired").headers["Location"] == "/"


def test_kiosk_ip_range_forces_a_shared_computer_session(emulator, tmp_path, index_dir):
    app = create_app(portal_config(emulator, tmp_path, KIOSK_IP_RANGES="10.20.0.0/16"))
    client = app.test_client()
    page = client.get("/auth/signin", environ_base={"REMOTE_ADDR": "10.20.3.4"}).text
    assert "Er dette en delt computer?" not in page
    assert 'name="shared" value="yes"' in page
    assert "Er dette en delt computer?" in client.get("/auth/signin").text


def test_kiosk_default_is_configurable(emulator, tmp_path, index_dir):
    app = create_app(portal_config(emulator, tmp_path, KIOSK_DEFAULT="true",
                                   KIOSK_IDLE_MINUTES="3"))
    page = parse_html(app.test_client().get("/auth/signin").text)
    checked = [i.get("value") for i in page.iter("input") if i.get("checked") is not None]
    assert checked == ["yes"]


def test_forced_kiosk_cannot_be_declined(emulator, tmp_path, index_dir):
    app = create_app(portal_config(emulator, tmp_path, KIOSK_IP_RANGES="127.0.0.0/8"))
    client = app.test_client()
    page = client.get("/auth/signin").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post("/auth/signin", data={"csrf_token": token, "shared": "no"})
    assert parse_qs(urlsplit(response.headers["Location"]).query)["prompt"] == [
        "select_account"]


@pytest.mark.parametrize(("address", "expected"), [
    ("10.20.3.4", True), ("10.21.0.1", False), ("2001:db8::5", True), ("", False),
    ("not-an-ip", False),
])
def test_is_kiosk_address(address, expected):
    ranges = [ipaddress.ip_network("10.20.0.0/16"), ipaddress.ip_network("2001:db8::/64")]
    assert is_kiosk_address(address, ranges) is expected
