"""An editor pastes fifty XSS filter-evasion vectors (``xss_vectors.txt``) into a news post;
after one real indexer pass, Chromium shows the front page, the article and a search for it,
and nothing runs: no dialog, no script blocked by the CSP (so the sanitiser, not only the CSP,
stopped it), no inline event handler, no script URL and no navigation away."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import sign_in
from playwright.sync_api import Page, expect

from emulator.editor_client import EditorClient
from emulator.sample import people as p
from emulator.server import Emulator

pytestmark = pytest.mark.browser
VECTORS = [line for line in Path(__file__).with_name("xss_vectors.txt").read_text(
    encoding="utf-8").splitlines() if line and not line.startswith("#")]
TITLE = 'Sikkerhedsøvelse <img src=x onerror=alert(1)> "><svg onload=alert(1)>'
MARKER = "Sikkerhedsøvelse for redaktører"
WATCH = """
window.__blocked = [];
document.addEventListener('securitypolicyviolation',
    e => window.__blocked.push(e.violatedDirective + ' ' + e.blockedURI));
"""
# What in the page could run script: handlers, script URLs, inline or foreign scripts.
FIND_UNSAFE = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]+/g, '').toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc' || name === 'style') found.push(name);
      if (/^(javascript|vbscript|data):/.test(value) && name !== 'content') found.push(value);
    }
    const tag = el.tagName.toLowerCase();
    if (['iframe', 'object', 'embed', 'base', 'frame'].includes(tag)) found.push(tag);
    if (tag === 'script' && !(el.getAttribute('src') || '').startsWith('/static/')) {
      found.push('script ' + el.outerHTML.slice(0, 60));
    }
    if (tag === 'meta' && el.httpEquiv) found.push('meta ' + el.httpEquiv);
  }
  return found.concat(window.__blocked.filter(v => v.startsWith('script')));
}"""


def check(page: Page, url: str, dialogs: list[str]) -> None:
    """The page at ``url`` holds nothing that runs, ran nothing, and stayed where it was."""
    page.goto(url)
    page.wait_for_load_state("load")
    assert page.url == url
    assert page.evaluate(FIND_UNSAFE) == []
    assert dialogs == []


def test_no_xss_vector_runs_in_the_news_the_front_page_or_the_search(
        page: Page, portal_url: str, live_emulator: Emulator, sync_again: Callable[[], None]):
    assert len(VECTORS) >= 40
    body = f"<p>{MARKER}</p>" + "".join(f"<div>{v}</div>" for v in VECTORS)
    editor = EditorClient(live_emulator.sharepoint_url, live_emulator.editor_key)
    # targeted at the managers, whom no other browser test signs in as
    editor.publish_news("intranet", TITLE, html=body, description=VECTORS[4],
                        audiences=[p.MANAGERS], editor=p.EDITOR)
    sync_again()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.add_init_script(WATCH)
    sign_in(page, portal_url, p.MANAGER)
    check(page, portal_url + "/", dialogs)
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text(MARKER)).to_be_visible()
    expect(page.get_by_text("dækker siden")).to_be_visible()  # harmless text is kept
    check(page, page.url, dialogs)
    check(page, portal_url + "/search?q=" + quote("sikkerhedsøvelse"), dialogs)
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.set_content('<a href=" java\tscript:x" onclick="x">a</a><script>x</script>')
    assert len(page.evaluate(FIND_UNSAFE)) == 3  # the check itself sees what it must refuse
