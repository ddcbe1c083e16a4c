"""A page rendered once with slots for its per-request values, and its gzip composed from
a cached part instead of compressed whole on every request.

A template is rendered with an unguessable marker in place of each per-request value (the
CSRF token, for instance), and the text between the markers is kept. A request fills the slots
with its values, escaped as the template would escape them, so the page is exactly what
rendering the template would give. Its gzip body compresses only the text up to the last slot
(the page's head and header) and appends the rest (the main part, most of the page) as deflate
blocks compressed once: one valid gzip stream that decompresses to that same page.
"""

from __future__ import annotations

import re
import secrets
import struct
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, render_template
from markupsafe import Markup

_TAG = secrets.token_hex(8)  # page content cannot forge a marker it does not know
_MARKER = re.compile(f"\x00{_TAG}:(\\w+)\x00")
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # deflate, mtime 0, no name
LEVEL = 6
HEAD_WINDOW_BITS, HEAD_MEM_LEVEL = 12, 4  # a head of a few KB: a tenth of the set-up time


def marker(slot: str) -> Markup:
    """What stands in for the value of ``slot`` while the page is rendered."""
    return Markup(f"\x00{_TAG}:{slot}\x00")


def _deflated(text: bytes, last: bool, window_bits: int = zlib.MAX_WBITS,
              mem_level: int = zlib.DEF_MEM_LEVEL) -> bytes:
    """``text`` as raw deflate blocks referring to nothing before them: the last ends the
    stream; otherwise they end on a byte boundary (a sync flush), so more blocks may follow."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -window_bits, mem_level)
    return compressor.compress(text) + compressor.flush(zlib.Z_FINISH if last else
                                                        zlib.Z_SYNC_FLUSH)


@dataclass(frozen=True)
class SlottedPage:
    """A rendered page cut at its slots: ``pieces[i]``, then the value of ``slots[i]``, then
    ``pieces[i + 1]``; ``tail`` is the last piece deflated, ending the stream."""

    pieces: tuple[bytes, ...]
    slots: tuple[str, ...]
    tail: bytes

    @classmethod
    def parse(cls, rendered: str) -> SlottedPage:
        """Cut a page rendered with :func:`marker` values at its markers."""
        split = _MARKER.split(rendered)
        pieces = tuple(text.encode() for text in split[0::2])
        return cls(pieces, tuple(split[1::2]), _deflated(pieces[-1], last=True))

    def head(self, values: Mapping[str, str]) -> bytes:
        """The page up to its last piece, with ``values`` (already escaped) in its slots."""
        filled = []
        for piece, slot in zip(self.pieces, self.slots, strict=False):
            filled += (piece, values[slot].encode())
        return b"".join(filled)

    def html(self, values: Mapping[str, str]) -> bytes:
        """The page with ``values`` (already escaped) in its slots."""
        return self.head(values) + self.pieces[-1]

    def gzipped(self, values: Mapping[str, str]) -> bytes:
        """``html(values)`` as a gzip stream: its head compressed now, then the cached tail."""
        head = self.head(values)
        html = head + self.pieces[-1]
        deflated = _deflated(head, False, HEAD_WINDOW_BITS, HEAD_MEM_LEVEL)
        return b"".join((_GZIP_HEADER, deflated, self.tail,
                         struct.pack("<II", zlib.crc32(html), len(html) & 0xFFFFFFFF)))


def render_slotted(template: str, slots: Mapping[str, Any], **context: Any) -> SlottedPage:
    """``template`` rendered with ``context``, cut at the places ``slots`` (names of context
    values, each :func:`marker` or a function returning one) appear."""
    return SlottedPage.parse(render_template(template, **context, **slots))


class ComposedResponse(Response):
    """An HTML page filled in from a :class:`SlottedPage`, which knows its gzip body."""

    def __init__(self, page: SlottedPage, values: Mapping[str, str]) -> None:
        self.page, self.values = page, values
        self.html = page.html(values)
        super().__init__(self.html, mimetype="text/html")

    def gzipped(self) -> bytes | None:
        """The gzip of the body, or None if the body was changed since it was filled in."""
        return self.page.gzipped(self.values) if self.get_data() == self.html else None
