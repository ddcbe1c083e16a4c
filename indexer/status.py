"""The state of the mirror, per site and list: the pass record beside the index, and views of it.

After every pass the indexer writes a small JSON record (``<index dir>.status.json``): when
the pass ran, what each list did, which sites failed, the throttling met, and running totals.
With the checkpoints in the index it feeds the portal's admin page, ``/metrics`` and
``/readyz``. The record is replaced atomically, so a reader never sees half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from indexer.index import SearchIndex

if TYPE_CHECKING:
    from indexer.sharepoint.http import TransportStats
    from indexer.sync import Syncer, SyncReport

FAILED = 2  # indexer.sync.FAILED (not imported: the portal reads this module)
TOTALS = ("passes", "failed_passes", "list_errors", "site_errors", "extract_failures",
          "throttled", "throttle_wait", "requests")


def status_file(index_dir: str | os.PathLike) -> Path:
    """Where the pass record of an index is kept: ``<index dir>.status.json`` beside it."""
    index_dir = Path(index_dir)
    return index_dir.with_name(index_dir.name + ".status.json")


def load_record(index_dir: str | os.PathLike) -> dict[str, Any]:
    """The pass record (empty before the first pass, or if it cannot be read)."""
    try:
        record = json.loads(status_file(index_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def _now() -> datetime:
    return datetime.now(UTC)


def _when(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None


def _list_key(site_url: str, title: str) -> str:
    return f"{site_url} {title}"


# --- writing ----------------------------------------------------------------------------------

def run_pass(syncer: Syncer, index_dir: str | os.PathLike, full: bool = False,
             site: str | None = None, lists: Collection[str] = ()) -> SyncReport:
    """One pass of ``syncer`` (see :meth:`Syncer.run`), recorded beside the index (a pass that
    raises is recorded too)."""
    started, before = _now(), syncer.client.stats
    try:
        report = syncer.run(full, site, lists)
    except Exception as exc:
        record_pass(index_dir, None, started, before, syncer.client.stats,
                    crash=f"{type(exc).__name__}: {exc}")
        raise
    record_pass(index_dir, report, started, before, syncer.client.stats)
    return report


def record_pass(index_dir: str | os.PathLike, report: SyncReport | None, started: datetime,
                before: TransportStats, after: TransportStats, crash: str = "") -> None:
    """Merge one pass into the record: ``report`` is None when the pass raised ``crash``."""
    record = load_record(index_dir)
    finished = _now().isoformat()
    done = report.lists if report is not None else []
    failed_sites = dict(report.failed_sites) if report is not None else {}
    exit_code = report.exit_code if report is not None else FAILED
    lists = record.setdefault("lists", {})
    for result in done:
        entry = lists.setdefault(_list_key(result.site_url, result.title),
                                 {"site_url": result.site_url, "title": result.title})
        entry["error"] = result.error
        if not result.error:
            entry["synced"] = finished
            if result.full:
                entry["unreadable"] = result.extract_failures
    throttled = after.throttled - before.throttled
    throttle_wait = round(after.throttle_wait - before.throttle_wait, 3)
    requests = after.requests - before.requests
    record["last_pass"] = {
        "started": started.isoformat(), "finished": finished, "exit_code": exit_code,
        "error": crash, "failed_sites": failed_sites, "throttled": throttled,
        "throttle_wait": throttle_wait, "requests": requests}
    _record_site_throttling(record, report.throttling if report is not None else {}, finished)
    if exit_code != FAILED:
        record["last_success"] = finished
    record.setdefault("since", started.isoformat())
    totals = record.setdefault("totals", {})
    for name, value in (
            ("passes", 1), ("failed_passes", int(exit_code == FAILED)),
            ("list_errors", sum(1 for r in done if r.error)),
            ("site_errors", len(failed_sites)),
            ("extract_failures", sum(r.extract_failures for r in done)),
            ("throttled", throttled), ("throttle_wait", throttle_wait), ("requests", requests)):
        totals[name] = totals.get(name, 0) + value
    _write(status_file(index_dir), record)


def _record_site_throttling(record: dict[str, Any], throttling: dict[str, tuple[int, float]],
                            finished: str) -> None:
    """Add one pass's throttling per site to the site totals of the record."""
    sites = record.setdefault("sites", {})
    for url, (count, wait) in throttling.items():
        entry = sites.setdefault(url.rstrip("/"), {"throttled": 0, "throttle_wait": 0.0})
        entry["throttled"] += count
        entry["throttle_wait"] = round(entry["throttle_wait"] + wait, 3)
        entry["last_throttled"] = finished


def _write(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(record, out, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListStatus:
    """One mirrored list as an administrator sees it."""

    site_url: str
    site_title: str
    title: str
    items: int
    synced: datetime | None  # the last pass that read it without an error
    last_full: datetime | None  # the last full enumeration
    unreadable: int | None  # files whose text could not be read, at the last full enumeration
    error: str | None  # why the last pass failed on it


@dataclass(frozen=True)
class PassSummary:
    """The last pass: when, how it ended, and the throttling it met."""

    started: datetime
    finished: datetime
    exit_code: int
    error: str
    failed_sites: dict[str, str]
    throttled: int
    throttle_wait: float
    requests: int


@dataclass(frozen=True)
class SiteThrottling:
    """The throttling one site met since the totals started counting."""

    throttled: int  # throttled answers (429 and 503)
    throttle_wait: float  # seconds waited because of them
    last: datetime | None  # the end of the last pass that met some


@dataclass(frozen=True)
class SyncStatus:
    """Everything the admin page and the metrics show."""

    lists: list[ListStatus]
    last_pass: PassSummary | None
    last_success: datetime | None
    since: datetime | None  # when the totals started counting
    totals: dict[str, float]
    documents: int
    throttling: dict[str, SiteThrottling]  # by site URL; sites that met none are left out


def last_commit(index_dir: str | os.PathLike) -> datetime | None:
    """When the index was last written (its newest table of contents)."""
    stamps = [path.stat().st_mtime for path in Path(index_dir).glob("*.toc")]
    return datetime.fromtimestamp(max(stamps), UTC) if stamps else None


def last_success(index_dir: str | os.PathLike, record: dict[str, Any]) -> datetime | None:
    """The end of the last pass that synced something, or the last commit if that is later."""
    stamps = [s for s in (_when(record.get("last_success")), last_commit(index_dir)) if s]
    return max(stamps, default=None)


def _pass_summary(record: dict[str, Any]) -> PassSummary | None:
    last = record.get("last_pass")
    if not last:
        return None
    return PassSummary(
        started=datetime.fromisoformat(last["started"]),
        finished=datetime.fromisoformat(last["finished"]), exit_code=last["exit_code"],
        error=last.get("error", ""), failed_sites=last.get("failed_sites", {}),
        throttled=last.get("throttled", 0), throttle_wait=last.get("throttle_wait", 0.0),
        requests=last.get("requests", 0))


def _list_status(seen: dict[str, Any], state: dict[str, Any], items: int,
                 site_titles: dict[str, str]) -> ListStatus:
    """One list from its pass record entry ``seen`` and its checkpoint ``state``."""
    site_url = state.get("site_url") or seen["site_url"]
    return ListStatus(
        site_url=site_url, site_title=site_titles.get(site_url, ""),
        title=state.get("title") or seen["title"], items=items,
        synced=_when(seen.get("synced") or state.get("token_obtained")),
        last_full=_when(state.get("last_full")), unreadable=seen.get("unreadable"),
        error=seen.get("error"))


def sync_status(index: SearchIndex) -> SyncStatus:
    """The status of every list: the checkpoints in the index merged with the pass record.

    A list that failed before its first checkpoint is shown from the record alone.
    """
    record = load_record(index.path)
    checkpoints = index.checkpoints()
    counts = index.list_counts()
    site_titles = {value.get("url"): value.get("title", "") for key, value in checkpoints.items()
                   if key.startswith("site:")}
    passes = dict(record.get("lists", {}))
    lists = [_list_status(passes.pop(_list_key(state["site_url"], state["title"]), {}), state,
                          counts.get(state["list_id"], 0), site_titles)
             for key, state in checkpoints.items() if key.startswith("list:")]
    lists += [_list_status(seen, {}, 0, site_titles) for seen in passes.values()
              if seen.get("error")]
    lists.sort(key=lambda s: (s.site_title.lower() or s.site_url, s.site_url, s.title.lower()))
    return SyncStatus(lists=lists, last_pass=_pass_summary(record),
                      last_success=last_success(index.path, record),
                      since=_when(record.get("since")),
                      totals={name: record.get("totals", {}).get(name, 0) for name in TOTALS},
                      documents=index.doc_count(), throttling=site_throttling(record))


def site_throttling(record: dict[str, Any]) -> dict[str, SiteThrottling]:
    """The throttling per site URL in a pass record."""
    return {url: SiteThrottling(entry.get("throttled", 0), entry.get("throttle_wait", 0.0),
                                _when(entry.get("last_throttled")))
            for url, entry in record.get("sites", {}).items()}


# --- ``indexer status`` -----------------------------------------------------------------------

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
