"""``indexer status``: per site and list, when it was synced and what it holds."""

from __future__ import annotations

from datetime import UTC, datetime

from indexer.index import SearchIndex


def _age(stamp: str, now: datetime) -> str:
    if not stamp:
        return "never"
    seconds = (now - datetime.fromisoformat(stamp)).total_seconds()
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit} ago"
    return f"{seconds:.0f}s ago"


def render_status(index: SearchIndex) -> str:
    """A table of every mirrored list: items, token age and last full enumeration."""
    now = datetime.now(UTC)
    counts = index.list_counts()
    rows = [("site", "list", "items", "token", "last full sync")]
    for key, state in sorted(index.checkpoints().items(),
                             key=lambda kv: (kv[1].get("site_url", ""), kv[1].get("title", ""))):
        if not key.startswith("list:"):
            continue
        rows.append((state["site_url"], state["title"], str(counts.get(state["list_id"], 0)),
                     _age(state.get("token_obtained", ""), now),
                     _age(state.get("last_full", ""), now)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
             for row in rows]
    return "\n".join(lines) + f"\n{index.doc_count()} documents in the index\n"
