"""Memory of a portal worker: its resident set with the index open, after some requests."""

from __future__ import annotations

from bench.children import children_of, rss
from bench.figures import Figure, summary


def measure_worker_rss(master_pid: int, items: int) -> Figure:
    """RSS of the larger of gunicorn's workers (they have served the load test by now)."""
    sizes = sorted(rss(pid) / 1e6 for pid in children_of(master_pid))
    if not sizes:
        raise RuntimeError("gunicorn has no workers")
    return Figure("portal worker RSS", "MB", len(sizes), sizes[-1], summary(sizes),
                  target="report it",
                  notes=f"largest of {len(sizes)} gunicorn workers with the {items:,}-item index "
                        f"open, after the load test ({', '.join(f'{s:.0f}' for s in sizes)} MB)")
