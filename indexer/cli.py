"""``indexer sync | watch | status``: the indexer's command line.

Exit codes: 0 success; 1 some sites or lists failed (``sync.PARTIAL``); 2 nothing could be
synced: bad settings, an unreadable index, no site reachable (``sync.FAILED``); 3 another
indexer holds the index, so this one did nothing (``ALREADY_RUNNING``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from indexer import logs
from indexer.backend import open_index
from indexer.config import SettingsError
from indexer.extract import Extractor
from indexer.index import IndexLocked, IndexUnavailable, IndexWriteFailed
from indexer.runlock import AlreadyRunning, RunLock
from indexer.settings import IndexerSettings, load_settings
from indexer.sharepoint.client import ClientSettings, SharePointClient, token_provider
from indexer.status import render_status, run_pass
from indexer.subscriptions import Keeper
from indexer.sync import FAILED, OK, Syncer, SyncReport
from indexer.wakeup import Waiter

log = logging.getLogger("indexer")

ALREADY_RUNNING = 3


class Stopped(BaseException):
    """SIGTERM or Ctrl-C came during a pass (raised once the commit in progress is written)."""


class StopRequests:
    """SIGTERM and Ctrl-C ask ``indexer watch`` to stop.

    While it waits between passes it stops at once. During a pass the handler raises
    :class:`Stopped`; the index holds both signals while a commit is written, so the commit
    in progress is finished first and the pass ends there, as after a crash but cleanly.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self._in_pass = False
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._handle)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.event.set()
        if self._in_pass:
            raise Stopped(signal.Signals(signum).name)

    @contextmanager
    def during_pass(self) -> Iterator[None]:
        """Mark the code inside as a pass, which a stop request interrupts."""
        self._in_pass = True
        try:
            yield
        finally:
            self._in_pass = False


def make_client(settings: IndexerSettings,
                sleep: Callable[[float], None] = time.sleep) -> SharePointClient:
    """The SharePoint client the settings describe (certificate sign-in, retries).

    ``sleep`` is how it waits between retries (tests pass one that does not wait).
    """
    client_settings = ClientSettings(
        authority=settings.authority, client_id=settings.client_id,
        certificate_key_file=Path(settings.certificate_key_file),
        certificate_thumbprint=settings.certificate_thumbprint,
        organisation=settings.organisation, ca_file=Path(settings.ca_file) if settings.ca_file
        else None, max_file_bytes=settings.max_file_bytes)
    first_site = (settings.sharepoint_sites or [settings.sharepoint_hub_site])[0]
    return SharePointClient(first_site, token_provider(client_settings, settings.sharepoint_url),
                            client_settings, sleep=sleep)


def _summary(report: SyncReport) -> str:
    upserts = sum(r.upserts for r in report.lists)
    deletes = sum(r.deletes for r in report.lists)
    failures = sum(r.extract_failures for r in report.lists)
    failed = len(report.failed_sites) + sum(1 for r in report.lists if r.error)
    return (f"{len(report.lists)} lists: {upserts} written, {deletes} deleted, "
            f"{failures} unreadable files, {failed} failures")


def run_sync(settings: IndexerSettings, full: bool, site: str | None) -> int:
    """One pass; the exit code tells success, partial failure and failure apart."""
    with RunLock(settings.index_dir), Extractor(
            max_bytes=settings.max_file_bytes, timeout=settings.extract_timeout) as extractor:
        index = open_index(settings.index_url, settings.index_dir, create=True)
        report = run_pass(Syncer(settings, index, make_client(settings), extractor),
                          settings.index_dir, full, site)
        log.info("sync finished: %s", _summary(report))
        return report.exit_code


def run_watch(settings: IndexerSettings) -> int:
    """Incremental passes every poll interval until SIGTERM or Ctrl-C, then exit 0.

    A webhook notification in between wakes it for a pass of the lists it names alone; the
    pass of every site still comes once the poll interval since the last one has passed.
    """
    stops = StopRequests()
    with RunLock(settings.index_dir), Extractor(
            max_bytes=settings.max_file_bytes, timeout=settings.extract_timeout) as extractor:
        index = open_index(settings.index_url, settings.index_dir, create=True)
        syncer = Syncer(settings, index, make_client(settings), extractor)
        waiter = Waiter(settings.index_dir, stops.event)
        keeper = Keeper(settings, index, syncer.client)  # webhook subscriptions, if configured
        wakeup, last_whole = None, float("-inf")
        try:
            while not stops.event.is_set():
                whole = (wakeup is None or wakeup.everything
                         or time.monotonic() - last_whole >= settings.poll_interval)
                lists = () if whole else wakeup.list_ids
                try:
                    with stops.during_pass():
                        report = run_pass(syncer, settings.index_dir, lists=lists)
                        if whole:
                            keeper.maintain()
                    log.info("pass%s finished: %s", "" if whole else " of notified lists",
                             _summary(report))
                except IndexWriteFailed as exc:  # the next pass tries again
                    log.error("%s", exc)
                if whole:
                    last_whole = time.monotonic()
                wakeup = waiter.wait(settings.poll_interval - (time.monotonic() - last_whole))
        except Stopped as exc:
            log.info("%s during a pass: stopping after its last commit", exc)
    log.info("stopped")
    return OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="indexer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sync = commands.add_parser("sync", help="run one pass")
    sync.add_argument("--full", action="store_true", help="re-enumerate every list")
    sync.add_argument("--site", help="only this site URL")
    commands.add_parser("watch", help="run incremental passes until stopped")
    commands.add_parser("status", help="show per site and list what was synced")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``indexer`` command."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as exc:
        sys.stderr.write(f"indexer: {exc}\n")
        return FAILED
    logs.configure(settings.log_format)
    try:
        if args.command == "sync":
            return run_sync(settings, args.full, args.site)
        if args.command == "watch":
            return run_watch(settings)
        sys.stdout.write(render_status(open_index(settings.index_url, settings.index_dir)))
        return OK
    except AlreadyRunning as exc:
        log.error("%s", exc)
        return ALREADY_RUNNING
    except (IndexLocked, IndexUnavailable, IndexWriteFailed) as exc:
        log.error("%s", exc)
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
