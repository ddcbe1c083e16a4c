"""Gunicorn settings for the portal: ``gunicorn -c deploy/gunicorn.conf.py``.

Besides the portal's own settings, three environment variables are read here:
``PORTAL_BIND`` (address to listen on), ``WEB_CONCURRENCY`` (worker processes, default one per
CPU core) and ``PROMETHEUS_MULTIPROC_DIR`` (where the workers keep their metrics; default a
temporary folder removed at exit). The access log never holds query strings: they carry
search words and sign-in codes.
"""

import os
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MULTIPROCESS = "PROMETHEUS_MULTIPROC_DIR"
_OWN_METRICS_DIR = MULTIPROCESS not in os.environ
if _OWN_METRICS_DIR:  # must be set before a worker imports prometheus_client
    os.environ[MULTIPROCESS] = tempfile.mkdtemp(prefix="intranet-portal-metrics-")

wsgi_app = "wsgi:app"
pythonpath = str(ROOT)
bind = [os.environ.get("PORTAL_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or os.cpu_count() or 2)
worker_class = "gthread"  # a few threads per worker: image and download proxying waits on I/O
threads = 4
timeout = 60  # a worker that stops answering its master is replaced after this
graceful_timeout = 30  # on SIGTERM, requests in flight get this long to finish
keepalive = 5  # seconds; the reverse proxy reuses its connections to gunicorn
limit_request_line = 8190
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"  # worker heartbeats off the disk

accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'  # %(U)s: no query string
logger_class = "portal.logs.GunicornLogger"  # LOG_FORMAT=json: JSON lines; secrets redacted


def on_starting(server):
    """Start with an empty metrics folder: counts from an earlier run must not add up."""
    folder = Path(os.environ[MULTIPROCESS])
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    """Forget the live gauges of a worker that ended."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    """Remove the temporary metrics folder if this file made it."""
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ[MULTIPROCESS], ignore_errors=True)
