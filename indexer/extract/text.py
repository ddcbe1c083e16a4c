"""Whitespace and character clean-up shared by every extractor."""

import re
import unicodedata

_DROPPED = re.compile(r"[\u200b\ufeff\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")


def tidy(text: str) -> str:
    """Normalise text for the index: NFC, no control characters, one space between words,
    one line per block and no empty lines."""
    text = _CONTROL.sub(" ", _DROPPED.sub("", text))
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))
