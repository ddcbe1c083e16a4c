"""Progress of long runs: a bar when stderr is a terminal, plain periodic log lines otherwise.

A service's journal or a CI log gets lines such as ``list Dokumenter (HR): 500/5000 items``
and no control characters; a person at a terminal gets a tqdm bar, with log records printed
above it instead of through it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator, Sequence
from typing import TypeVar

from tqdm import tqdm
from tqdm.contrib.logging import logging_redirect_tqdm

log = logging.getLogger(__name__)

LOG_EVERY = 500  # items between two progress lines when stderr is not a terminal

T = TypeVar("T")


def track(items: Sequence[T], label: str) -> Iterator[T]:
    """Yield ``items`` one by one, showing how far the caller got under ``label``."""
    total = len(items)
    if total and sys.stderr.isatty():
        with logging_redirect_tqdm(), tqdm(total=total, desc=label, unit=" items",
                                           file=sys.stderr, leave=False) as bar:
            for item in items:
                yield item
                bar.update()
        return
    for done, item in enumerate(items, 1):
        yield item
        if done % LOG_EVERY == 0 or done == total:
            log.info("%s: %d/%d items", label, done, total)
