"""Text files: plain text, CSV, Markdown and HTML."""

import codecs
from collections.abc import Iterator

from indexer.extract.sanitise import iter_html_text

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes) -> str:
    """Bytes to text: the encoding its byte order mark names, else UTF-8, else Windows-1252
    (what Danish Windows and older Excel save)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_text(data: bytes) -> Iterator[str]:
    """The text of a .txt, .csv or .md file as it is."""
    yield decode(data)


def read_html(data: bytes) -> Iterator[str]:
    """The visible text of an HTML file."""
    yield from iter_html_text(decode(data))
