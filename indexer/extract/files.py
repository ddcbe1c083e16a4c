"""Which reader handles which file, and turning a reader's output or failure into a result."""

import importlib
import os
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass

from indexer.extract.text import tidy

MAX_CHARS = 1_000_000

Reader = Callable[[bytes], Iterable[str]]
"""A reader takes a file's bytes and yields its text, a line or a block at a time."""

# Readers by extension, as (module, function), imported when first needed so that the
# process that only hands files to the worker never loads the parsing libraries.
READERS: dict[str, tuple[str, str]] = {
    ".docx": ("office", "read_docx"),
    ".xlsx": ("office", "read_xlsx"),
    ".pptx": ("office", "read_pptx"),
    ".pdf": ("pdf", "read_pdf"),
    ".txt": ("plain", "read_text"),
    ".csv": ("plain", "read_text"),
    ".md": ("plain", "read_text"),
    ".htm": ("plain", "read_html"),
    ".html": ("plain", "read_html"),
}


@dataclass(frozen=True)
class Extraction:
    """The text of one file, or why there is none (``error``)."""

    text: str
    error: str | None = None


def extension(filename: str) -> str:
    """The lower-case extension of ``filename`` with its dot, or ``""``."""
    return os.path.splitext(filename)[1].lower()


def check(filename: str, data: bytes, extra: Collection[str] = ()) -> str | None:
    """Why ``data`` cannot be read at all, or ``None``. ``extra``: more known extensions."""
    ext = extension(filename)
    if ext not in READERS and ext not in extra:
        return f"unsupported file type {ext}" if ext else "unsupported file type (no extension)"
    if not data:
        return "file is empty"
    return None


def extract_text(filename: str, data: bytes, max_chars: int = MAX_CHARS,
                 readers: Mapping[str, Reader] | None = None) -> Extraction:
    """The text of one file, at most ``max_chars`` long. Never raises for a bad file.

    ``readers`` adds or overrides readers by extension (e.g. ``{".log": read_log}``).
    """
    readers = readers or {}
    problem = check(filename, data, readers)
    if problem:
        return Extraction("", problem)
    ext = extension(filename)
    kind = ext.lstrip(".")
    try:
        reader = readers.get(ext) or _builtin(ext)
        return Extraction(_collect(reader(data), max_chars))
    except MemoryError:
        return Extraction("", f"could not read {kind}: it needs more memory than allowed")
    except Exception as exc:  # a parser can fail in any way on a bad file
        return Extraction("", f"could not read {kind}: {_reason(exc)}")


def preload() -> None:
    """Import every built-in reader now rather than during the first file."""
    for ext in READERS:
        _builtin(ext)


def _builtin(ext: str) -> Reader:
    module, function = READERS[ext]
    return getattr(importlib.import_module(f"{__package__}.{module}"), function)


def _collect(pieces: Iterable[str], max_chars: int) -> str:
    """Join the pieces, stopping (and closing the reader) once there is enough text."""
    kept: list[str] = []
    size = 0
    iterator = iter(pieces)
    try:
        for piece in iterator:
            kept.append(piece)
            size += len(piece) + 1
            if size >= max_chars:
                break
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
    return tidy("\n".join(kept)[:max_chars])[:max_chars]


def _reason(exc: BaseException) -> str:
    """A one-line, bounded account of an exception."""
    message = " ".join(str(exc).split())
    if not message:
        return type(exc).__name__
    return message if len(message) <= 200 else message[:199] + "…"
