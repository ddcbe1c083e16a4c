"""Fuzzing the HTML sanitiser: whatever an editor pastes, the output, read back by a real HTML
parser, holds no script, no event handler, no ``javascript:``/``data:`` URL and no style.

``FUZZ_EXAMPLES`` sets the number of examples (default 300; a long run uses thousands).
"""

from __future__ import annotations

import html
import os
import re

import html5lib
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.extract.sanitise import sanitise_html

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
TOKENS = [
    "<p>", "</p>", "<a href=\"", "<a href='", "<a href=", "javascript:", "JaVaScRiPt:",
    "jav&#x09;ascript:", "java\nscript:", "&#106;avascript:", "data:text/html,", "DATA:",
    "vbscript:", "<img src=", "<img src=x onerror=alert(1)>", " onload=", " onclick=\"",
    "<svg onload=alert(1)>", "<math><mi xlink:href=", "<script>", "</script>", "<scr<script>ipt>",
    "<style>", "</style>", " style=\"", "position:fixed", "expression(", "url(",
    "<iframe srcdoc=", "<object data=", "<embed src=", "<base href=", "<meta http-equiv=",
    "<form action=", "<button formaction=", "<table>", "<td background=", "<![CDATA[", "<!--",
    "-->", "<textarea>", "<noscript>", "<template>", "<div>", "</div>", "\"", "'", "`", "<",
    ">", "/", "=", "&", "&lt;", "&#0000106", "\x00", " ", "\n",
]
MARKUP = st.lists(st.sampled_from(TOKENS) | st.text(max_size=6), max_size=80).map("".join)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "background", "data", "xlink:href",
                  "poster", "srcset", "lowsrc", "dynsrc")


def _scheme(url: str) -> str:
    probe = _URL_NOISE.sub("", html.unescape(url)).lower()
    return probe.split(":", 1)[0] if ":" in probe.split("/", 1)[0] else ""


def unsafe_parts(clean: str) -> list[str]:
    """What in sanitised HTML could run script or escape its element, read as a browser would."""
    fragment = html5lib.parseFragment(clean, namespaceHTMLElements=False)
    found = []
    for element in fragment.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rsplit("}", 1)[-1].lower()
        if tag in ("script", "style", "iframe", "object", "embed", "base", "meta", "link",
                   "form", "svg", "math"):
            found.append(f"element {tag}")
        for name, value in element.attrib.items():
            name = name.rsplit("}", 1)[-1].lower()
            if name.startswith("on") or name in ("style", "srcdoc"):
                found.append(f"attribute {name}")
            if name in URL_ATTRIBUTES and _scheme(value) not in ("", "http", "https", "mailto"):
                found.append(f"url {value!r}")
    return found


@settings(max_examples=EXAMPLES)
@given(markup=MARKUP)
def test_sanitised_html_never_holds_script_handlers_bad_urls_or_style(markup):
    clean = sanitise_html(markup)
    assert unsafe_parts(clean) == []
    assert sanitise_html(clean) == clean


@settings(max_examples=EXAMPLES)
@given(markup=st.text(max_size=300))
def test_any_text_is_sanitised_safely(markup):
    assert unsafe_parts(sanitise_html(markup)) == []


def test_the_checker_sees_what_it_must_refuse():
    hostile = ('<a href=" jav&#x09;ascript:x">a</a><img src="data:image/png;base64,AA">'
               '<p onclick="x" style="position:fixed">p</p><script>x</script>')
    assert len(unsafe_parts(hostile)) == 5
