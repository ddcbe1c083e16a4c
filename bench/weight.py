"""Front page weight: the compressed bytes of the page and of what it loads, and the requests."""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

from bench.figures import Figure, summary

MAX_KB, MAX_REQUESTS = 30.0, 5
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)""")


class _Links(HTMLParser):
    """The URLs a page makes a browser fetch: stylesheets, icons, scripts, images."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (kind, url)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = (a.get("rel") or "").lower().split()
        if tag == "link" and a.get("href") and ({"stylesheet", "icon", "preload"} & set(rel)):
            self.urls.append(("css" if "stylesheet" in rel else "image", a["href"]))
        elif tag == "script" and a.get("src"):
            self.urls.append(("js", a["src"]))
        elif tag in ("img", "source") and (a.get("src") or a.get("srcset")):
            self.urls.append(("image", (a.get("src") or a["srcset"]).split()[0]))


def measure_weight(session: requests.Session, origin: str) -> list[Figure]:
    """Bytes on the wire (bodies, gzip accepted) of the signed-in front page and its assets."""
    sizes = {"html": 0, "css": 0, "js": 0, "image": 0}
    html, sizes["html"] = _fetch(session, f"{origin}/")
    parser = _Links()
    parser.feed(html)
    queue, seen = [(kind, urljoin(f"{origin}/", url)) for kind, url in parser.urls], set()
    while queue:
        kind, url = queue.pop(0)
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        text, size = _fetch(session, url)
        sizes[kind] += size
        if kind == "css":
            queue += [("image", urljoin(url, found)) for found in _CSS_URL.findall(text)]
    requests_made = 1 + len(seen)
    page_kb = (sizes["html"] + sizes["css"] + sizes["js"]) / 1024
    detail = ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in sizes.items())
    hosts = sorted({urlsplit(u).netloc for u in seen} - {urlsplit(origin).netloc})
    note = f"signed-in front page, compressed bodies without headers: {detail}" + (
        f"; other hosts: {', '.join(hosts)}" if hosts else "")
    return [
        Figure("front page weight (HTML, CSS, JS)", "KB", 1, page_kb, summary([page_kb]),
               target=f"<= {MAX_KB:g} KB", met=page_kb <= MAX_KB, notes=note),
        Figure("front page images", "KB", 1, sizes["image"] / 1024,
               summary([sizes["image"] / 1024]), notes="compressed bodies of the images"),
        Figure("front page requests", "requests", 1, requests_made, summary([requests_made]),
               target=f"<= {MAX_REQUESTS}", met=requests_made <= MAX_REQUESTS,
               notes="the page and every stylesheet, script, icon and image it loads"),
    ]


def _fetch(session: requests.Session, url: str) -> tuple[str, int]:
    """The decoded text of ``url`` and the number of body bytes that crossed the wire."""
    answer = session.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=30)
    if answer.status_code != 200:
        raise RuntimeError(f"{url} answered {answer.status_code}")
    raw = answer.raw.read(decode_content=False)
    answer.close()
    body = gzip.decompress(raw) if answer.headers.get("Content-Encoding") == "gzip" else raw
    return body.decode(answer.encoding or "utf-8", errors="replace"), len(raw)
