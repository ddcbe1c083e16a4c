"""The state of the webhook subscriptions, kept beside the index for the admin page.

``indexer watch`` (see :mod:`indexer.subscriptions`) writes ``<index dir>.webhooks.json``
whenever the state changes; the portal only reads it. The file is replaced atomically, and an
unreadable or missing file reads as "not configured".
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class ListWebhook:
    """The subscription of one mirrored list: its id and expiry, or why there is none."""

    list_id: str
    site_url: str
    title: str
    subscription_id: str = ""
    expires: datetime | None = None
    checked: datetime | None = None  # when SharePoint was last asked about it
    error: str = ""  # why the last attempt failed


@dataclass(frozen=True)
class WebhookStatus:
    """Whether webhooks are configured, where notifications go, and each list's subscription."""

    configured: bool = False
    notification_url: str = ""
    lists: tuple[ListWebhook, ...] = field(default_factory=tuple)

    @property
    def subscribed(self) -> list[ListWebhook]:
        """The lists whose subscription is in place."""
        return [hook for hook in self.lists if hook.subscription_id and not hook.error]

    @property
    def next_expiry(self) -> datetime | None:
        """The soonest expiry of a subscription in place."""
        return min((hook.expires for hook in self.subscribed if hook.expires), default=None)

    def of(self, site_url: str, title: str) -> ListWebhook | None:
        """The subscription of the list ``title`` of ``site_url``, if it is tracked."""
        return next((hook for hook in self.lists
                     if (hook.site_url, hook.title) == (site_url, title)), None)


def webhooks_file(index_dir: str | os.PathLike) -> Path:
    """Where the state is kept: ``<index dir>.webhooks.json`` beside the index."""
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name + ".webhooks.json")


def _when(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None


def load_webhooks(index_dir: str | os.PathLike) -> WebhookStatus:
    """The recorded state ("not configured" when there is none or it cannot be read)."""
    try:
        record = json.loads(webhooks_file(index_dir).read_text(encoding="utf-8"))
        hooks = tuple(ListWebhook(**entry | {"expires": _when(entry.get("expires")),
                                             "checked": _when(entry.get("checked"))})
                      for entry in record.get("lists", []))
        return WebhookStatus(bool(record.get("configured")), record.get("notification_url", ""),
                             hooks)
    except (OSError, ValueError, TypeError, AttributeError):
        return WebhookStatus()


def save_webhooks(index_dir: str | os.PathLike, status: WebhookStatus) -> None:
    """Replace the recorded state (the indexer is the only writer)."""
    path = webhooks_file(index_dir)
    record = asdict(status)
    for entry in record["lists"]:
        for name in ("expires", "checked"):
            entry[name] = entry[name].isoformat() if entry[name] else None
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)
