"""HTML for display (an allowlist sanitiser built on bleach) and HTML to plain text."""

import html
import re
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import bleach
from bleach import html5lib_shim

from indexer.extract.text import tidy

ALLOWED_TAGS = frozenset({
    "p", "br", "h2", "h3", "h4", "strong", "em", "u", "s", "a", "ul", "ol", "li", "blockquote",
    "table", "thead", "tbody", "tr", "th", "td", "img", "figure", "figcaption", "span", "div",
    "hr", "pre", "code",
})
ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "td": frozenset({"colspan", "rowspan"}),
    "th": frozenset({"colspan", "rowspan"}),
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer"

# Removed together with everything inside them, not just unwrapped.
_DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "iframe", "object", "embed", "noscript", "template",
})
_NUMERIC_ATTRIBUTES = frozenset({"width", "height", "colspan", "rowspan"})
_URL_NOISE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
_URL_PATH_START = re.compile(r"[/?#]")
_URL_MARKUP = re.compile(r"[<>\"'`]")


def sanitise_html(markup: str) -> str:
    """Well-formed HTML with only allowlisted tags, attributes and URL schemes left."""
    return _cleaner().clean(markup)


def safe_url(url: str) -> str | None:
    """``url`` stripped if it is relative or uses an allowed scheme, else ``None``.

    A colon before the first ``/``, ``?`` or ``#`` must end an allowed scheme (a relative URL
    never needs one there), and markup characters, which a real URL holds percent-encoded,
    are refused: what a browser might read differently from ``urlsplit`` never passes."""
    value = url.strip()
    probe = _URL_NOISE.sub("", html.unescape(value))
    try:
        scheme = urlsplit(probe).scheme.lower()
    except ValueError:
        return None
    head = _URL_PATH_START.split(probe, maxsplit=1)[0]
    declared = head.split(":", 1)[0].lower() if ":" in head else ""
    if not value or _URL_MARKUP.search(probe) or declared not in ("", *ALLOWED_PROTOCOLS):
        return None
    return value if not scheme or scheme in ALLOWED_PROTOCOLS else None


def html_to_text(markup: str) -> str:
    """The visible text of HTML, one line per block, without script, style or markup."""
    return tidy("\n".join(iter_html_text(markup)))


def iter_html_text(markup: str, chunk: int = 1 << 16) -> Iterator[str]:
    """The visible text of HTML, parsed a chunk at a time and yielded a run of whole blocks
    at a time, so that a reader of a large file can stop early."""
    parser = _TextParser()
    for start in range(0, len(markup), chunk):
        parser.feed(markup[start:start + chunk])
        yield parser.take()
    parser.close()
    yield parser.take(final=True)


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if name in ("href", "src") and safe_url(value) is None:
        return False  # also what the scheme check cannot parse, such as a broken host
    return name not in _NUMERIC_ATTRIBUTES or (value.isascii() and value.isdigit()
                                               and len(value) <= 4)


class _DropContent(html5lib_shim.Filter):
    """Drops the elements in _DROPPED_WITH_CONTENT and all that they contain.

    The token stream comes from a tree walk, so start and end tags are balanced.
    """

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            if token.get("name") in _DROPPED_WITH_CONTENT:
                if token["type"] == "StartTag":
                    depth += 1
                elif token["type"] == "EndTag":
                    depth = max(depth - 1, 0)
            elif depth == 0:
                yield token


class _LinkRel(html5lib_shim.Filter):
    """Gives every link rel="noopener noreferrer"."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                token["data"][(None, "rel")] = LINK_REL
            yield token


class _Walker(html5lib_shim.getTreeWalker("etree")):
    """The etree walker without its linear search for a node's index in its parent, which
    made documents with many sibling elements take quadratic time."""

    def __init__(self, tree):
        super().__init__(tree)
        self._indexes: dict[int, dict[int, int]] = {}

    def getParentNode(self, node):  # the name is html5lib's
        if not isinstance(node, tuple) or node[3] == "text" or len(node[2]) < 2:
            return super().getParentNode(node)
        parents = node[2]
        parent = parents.pop()
        return parent, self._index(parents[-1], parent), parents, None

    def _index(self, grandparent, parent) -> int:
        indexes = self._indexes.get(id(grandparent))
        if indexes is None:
            indexes = {id(child): i for i, child in enumerate(grandparent)}
            self._indexes[id(grandparent)] = indexes
        return indexes[id(parent)]


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    """This thread's cleaner: a bleach Cleaner is not thread-safe."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        # The dropped tags are let through the parser so that their content is parsed as
        # their content (and then removed) rather than as text.
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS | _DROPPED_WITH_CONTENT, attributes=_allow_attribute,
            protocols=ALLOWED_PROTOCOLS, strip=True, strip_comments=True,
            filters=[_DropContent, _LinkRel])
        cleaner.walker = _Walker
        _local.cleaner = cleaner
    return cleaner


_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "title", "tr", "ul",
})
_CELLS = frozenset({"td", "th"})
_HIDDEN = frozenset({"script", "style", "template", "iframe", "object", "noscript"})
_RUNS_OF_SPACE = re.compile(r"\s+")


class TolerantHTMLParser(HTMLParser):
    """html.parser, except that a malformed ``<![...`` section is skipped instead of raising
    AssertionError."""

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1


class _TextParser(TolerantHTMLParser):
    """Collects text block by block, skipping hidden elements."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._blocks: list[str] = []
        self._parts: list[str] = []  # of the block being read
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _HIDDEN:
            self._hidden += 1
        self._boundary(tag)

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        # <script/> opens a script in HTML: only void elements close themselves.
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden = max(self._hidden - 1, 0)
        self._boundary(tag)

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._parts.append(_RUNS_OF_SPACE.sub(" ", data))

    def take(self, final: bool = False) -> str:
        """The blocks read so far, one per line (and the unfinished one if ``final``)."""
        if final:
            self._end_block()
        text = "\n".join(self._blocks)
        self._blocks = []
        return text

    def _boundary(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._end_block()
        elif tag in _CELLS:
            self._parts.append(" ")

    def _end_block(self) -> None:
        if self._parts:
            self._blocks.append("".join(self._parts))
            self._parts = []
