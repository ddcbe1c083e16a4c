"""``make demo``: the sample tenant, a first sync, then the indexer and the portal side by side.

The indexer and the portal run as their own processes with the settings the emulator writes,
exactly as they would run against a real tenant. SharePoint webhooks are wired on 127.0.0.1:
the portal starts first, so that ``indexer watch`` can subscribe every list to its
``/webhooks/sharepoint``; a news item published in the emulator then reaches the front page
within seconds, and polling every minute stays on as the safety net.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from emulator.announce import describe, tenant_settings, write_settings
from emulator.sample import build_sample_tenant
from emulator.server import Emulator

PORTAL_PORT = 5000
PORTAL = f"http://127.0.0.1:{PORTAL_PORT}"
POLL_INTERVAL = 60


def _environment(emulator: Emulator, index_dir: Path) -> dict[str, str]:
    return os.environ | tenant_settings(emulator) | {
        "INDEX_DIR": str(index_dir.resolve()),
        "SECRET_KEY": secrets.token_hex(32),
        "POLL_INTERVAL": str(POLL_INTERVAL),
        "PORTAL_ENV": "development",
        "WEBHOOK_URL": f"{PORTAL}/webhooks/sharepoint",
        "WEBHOOK_CLIENT_STATE": secrets.token_urlsafe(32),
    }


def _wait_until_up(portal: subprocess.Popen, seconds: float = 60) -> bool:
    """Whether the portal answers ``/healthz`` before ``seconds`` pass (or it exits)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and portal.poll() is None:
        try:
            if requests.get(f"{PORTAL}/healthz", timeout=2).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.2)
    return False


def run_demo(data_dir: Path, seed: int = 1, http_port: int = 7070,
             https_port: int = 7443) -> int:
    """Serve the demo until Ctrl-C; returns the exit code."""
    emulator = Emulator(build_sample_tenant(seed), data_dir / "emulator", "127.0.0.1",
                        http_port, https_port).start()
    settings_file = write_settings(emulator, data_dir / "emulator" / "tenant.env")
    index_dir = data_dir / "index"
    shutil.rmtree(index_dir, ignore_errors=True)  # the sample tenant is new on every start
    env = _environment(emulator, index_dir)
    sys.stdout.write(describe(emulator, settings_file).replace("Press Ctrl-C to stop.\n", ""))
    sys.stdout.write("Syncing the sample tenant into the index …\n")
    sys.stdout.flush()
    first = subprocess.run([sys.executable, "-m", "indexer.cli", "sync"], env=env, check=False)
    if first.returncode == 2:
        emulator.stop()
        return first.returncode
    children = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run",
                                  "--host", "127.0.0.1", "--port", str(PORTAL_PORT)], env=env)]
    if not _wait_until_up(children[0]):  # SharePoint validates the webhook URL on subscribing
        sys.stderr.write(f"The portal does not answer on {PORTAL} yet: the indexer polls, and "
                         "subscribes the webhooks once it answers (it tries every 5 minutes).\n")
    children.append(subprocess.Popen([sys.executable, "-m", "indexer.cli", "watch"], env=env))
    sys.stdout.write(
        f"\nThe portal is at {PORTAL} — sign in as any sample user.\n"
        f"Publish news as an editor, from another terminal:\n"
        f"  .venv/bin/python -m emulator publish-news --title 'Kantinen holder lukket fredag' "
        f"--data-dir {data_dir / 'emulator'}\n"
        f"SharePoint webhooks bring it to the front page within seconds, and the indexer polls "
        f"every {POLL_INTERVAL} seconds as well.\nPress Ctrl-C to stop.\n")
    sys.stdout.flush()
    stop = threading.Event()
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=30)
        emulator.stop()
    return 0
