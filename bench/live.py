"""A running emulator on a synthetic tenant, and the environment that points programs at it."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.corpus import synthetic_tenant
from emulator.announce import tenant_settings
from emulator.server import Emulator

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def live_tenant(items: int, root: Path) -> Iterator[Emulator]:
    """The emulator serving the synthetic tenant of ``items`` documents, on free ports."""
    data_dir = root / f"emulator-{items}"
    data_dir.mkdir(parents=True)
    with Emulator(synthetic_tenant(items), data_dir) as emulator:
        yield emulator


def environment(emulator: Emulator, **settings: str) -> dict[str, str]:
    """This process's environment plus the tenant's settings and ``settings``."""
    return dict(os.environ) | tenant_settings(emulator) | settings


def free_port() -> int:
    """A TCP port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
