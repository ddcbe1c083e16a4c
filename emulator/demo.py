"""``make demo``: the sample tenant, a first sync, then the indexer and the portal side by side.

The indexer and the portal run as their own processes with the settings the emulator writes,
exactly as they would run against a real tenant.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from emulator.announce import describe, tenant_settings, write_settings
from emulator.sample import build_sample_tenant
from emulator.server import Emulator

PORTAL_PORT = 5000


def _environment(emulator: Emulator, index_dir: Path) -> dict[str, str]:
    return os.environ | tenant_settings(emulator) | {
        "INDEX_DIR": str(index_dir.resolve()),
        "SECRET_KEY": secrets.token_hex(32),
        "POLL_INTERVAL": "5",
        "PORTAL_ENV": "development",
    }


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
    children = [
        subprocess.Popen([sys.executable, "-m", "indexer.cli", "watch"], env=env),
        subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run", "--host",
                          "127.0.0.1", "--port", str(PORTAL_PORT)], env=env),
    ]
    sys.stdout.write(
        f"\nThe portal is at http://127.0.0.1:{PORTAL_PORT} — sign in as any sample user.\n"
        f"Publish news as an editor with the editor API (key in "
        f"{data_dir / 'emulator' / 'credentials' / 'editor-key.txt'}); the indexer polls "
        "every 5 seconds.\nPress Ctrl-C to stop.\n")
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
