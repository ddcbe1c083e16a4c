"""Two portal nodes with one PostgreSQL session store: a cookie works on either node, sign-out
on one ends it on both, and a session database that is down gives 503, then recovers."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from portal_support import SignIn, csrf_token, portal_config, title_of

from emulator.sample import people as p
from portal import create_app

HOST = "localhost"


@pytest.fixture(scope="module")
def session_db(postgres) -> str:
    """This module's own session database."""
    return postgres.new_database("portal_two_nodes")


@pytest.fixture
def nodes(emulator, index_dir, tmp_path, session_db) -> Iterator[tuple[Flask, Flask]]:
    """Node A and node B: the same SECRET_KEY and SESSION_DB, nothing else shared in memory."""
    apps = tuple(create_app(portal_config(emulator, tmp_path, SESSION_DB=session_db))
                 for _ in range(2))
    yield apps
    for app in apps:
        app.extensions["portal.content"].close()
        app.extensions["portal.sessions"].close()


def carry_cookie(app: Flask, source: FlaskClient, target: FlaskClient) -> None:
    """Give ``target`` the session cookie ``source`` holds (what a load balancer allows)."""
    name = app.config["SESSION_COOKIE_NAME"]
    target.set_cookie(name, source.get_cookie(name, domain=HOST).value, domain=HOST)


def test_a_session_from_node_a_works_on_node_b_until_signed_out_there(nodes, emulator):
    node_a, node_b = nodes
    browser_a, browser_b = node_a.test_client(), node_b.test_client()
    SignIn(browser_a, emulator)(p.TEACHER)
    carry_cookie(node_a, browser_a, browser_b)
    page = browser_b.get("/")
    assert page.status_code == 200 and "Log ud" in page.text
    signout = browser_b.post("/auth/signout", data={"csrf_token": csrf_token(page.text)})
    assert signout.status_code == 303
    again = browser_a.get("/")  # node A, still holding the old cookie
    assert again.status_code == 302 and again.headers["Location"] == "/auth/expired"


def test_session_database_down_gives_503_then_recovers(nodes, emulator, postgres):
    node_a, _ = nodes
    browser = node_a.test_client()
    SignIn(browser, emulator)(p.TEACHER)
    newcomer = SignIn(node_a.test_client(), emulator)
    callback = newcomer.pick(newcomer.start(), p.HR)
    postgres.stop()
    try:
        down = browser.get("/news")
        assert down.status_code == 503 and down.headers["Retry-After"]
        assert title_of(down.text).startswith("Log ind er ikke muligt lige nu")
        assert "Log ud" not in down.text  # nobody counts as signed in
        finished = newcomer.client.get(callback)  # a sign-in cannot be stored: no session
        assert finished.status_code == 503
    finally:
        postgres.start()
    assert browser.get("/news").status_code == 200
    assert newcomer.client.get("/news").status_code == 302


def test_idle_expiry_counts_use_on_either_node(nodes, emulator):
    node_a, node_b = nodes
    browser_a, browser_b = node_a.test_client(), node_b.test_client()
    SignIn(browser_a, emulator)(p.TEACHER, shared=True)
    carry_cookie(node_a, browser_a, browser_b)
    start = time.time()
    for node in nodes:
        node.extensions["portal.sessions"].clock = lambda: start + 9 * 60
    assert browser_b.get("/").status_code == 200  # used on node B: node A sees it
    for node in nodes:
        node.extensions["portal.sessions"].clock = lambda: start + 9 * 60 + 9 * 60
    assert browser_a.get("/").status_code == 200
    for node in nodes:
        node.extensions["portal.sessions"].clock = lambda: start + 9 * 60 + 20 * 60
    expired = browser_b.get("/news")
    assert expired.status_code == 302 and expired.headers["Location"] == "/auth/expired"
