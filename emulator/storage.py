"""Saving and loading whole tenants, so that a large synthetic tenant is built only once."""

from __future__ import annotations

import gc
import pickle
from pathlib import Path

from emulator.tenant import Tenant


def save_tenant(tenant: Tenant, path: str | Path) -> None:
    """Pickle ``tenant`` to ``path``; the file is replaced only once the write is complete."""
    target = Path(path)
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as out:
        pickle.dump(tenant, out, protocol=pickle.HIGHEST_PROTOCOL)
    partial.replace(target)


def load_tenant(path: str | Path) -> Tenant:
    """Load a tenant written by ``save_tenant``. Pickle runs code: load only your own files."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # a tenant is millions of small objects; collecting while loading is slow
    try:
        with Path(path).open("rb") as source:
            tenant = pickle.load(source)
    finally:
        if gc_was_enabled:
            gc.enable()
    if not isinstance(tenant, Tenant):
        raise TypeError(f"{path} holds a {type(tenant).__name__}, not a Tenant")
    return tenant
