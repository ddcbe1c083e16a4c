"""The gunicorn access log line: what gunicorn's own logger would write, made without the
header and environment atoms when the format names none, and redacted."""

from __future__ import annotations

import ast
import io
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn import glogging
from gunicorn.config import Config

from portal.logs import REDACTED, GunicornLogger

DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
ENVIRON = {"REMOTE_ADDR": "10.1.2.3", "REQUEST_METHOD": "GET", "RAW_URI": "/news?page=2",
           "SERVER_PROTOCOL": "HTTP/1.1", "PATH_INFO": "/news", "QUERY_STRING": "page=2",
           "HTTP_USER_AGENT": 'Mozilla/5.0 "quoted"', "HTTP_COOKIE": "session=abc",
           "wsgi.url_scheme": "http"}
REQUEST = SimpleNamespace(headers=[("USER-AGENT", 'Mozilla/5.0 "quoted"'),
                                   ("COOKIE", "session=abc")])
RESPONSE = SimpleNamespace(status="200 OK", sent=2871,
                           headers=[("Content-Type", "text/html"), ("Vary", "Cookie")])
TOOK = timedelta(microseconds=4321)


def _deploy_format() -> str:
    line = re.search(r"^access_log_format = (.+?)  #", DEPLOY.read_text(), re.M).group(1)
    return ast.literal_eval(line)


def _logger(cls: type, access_format: str) -> glogging.Logger:
    config = Config()
    config.set("accesslog", "-")
    config.set("access_log_format", access_format)
    return cls(config)


def _line(logger: glogging.Logger, access_format: str) -> str:
    atoms = glogging.SafeAtoms(logger.atoms(RESPONSE, REQUEST, ENVIRON, TOOK))
    return access_format % atoms


@pytest.mark.parametrize("access_format", [
    _deploy_format(),
    '%(h)s %(l)s %(u)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s %(L)s',
    '%(h)s "%({user-agent}i)s" %({content-type}o)s %({wsgi.url_scheme}e)s',
])
def test_the_line_is_the_one_gunicorn_writes(access_format):
    ours = _logger(GunicornLogger, access_format)
    assert ours.named_atoms is ("{" in access_format)
    assert _line(ours, access_format) == _line(_logger(glogging.Logger, access_format),
                                               access_format)


def test_the_deploy_line_is_written_redacted():
    access_format = _deploy_format()
    logger = _logger(GunicornLogger, access_format)
    out = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(out)
    token = "eyJhbGciOiJSUzI1NiJ9.eyJvaWQiOiJ4In0.c2lnbmF0dXJl"
    logger.access(RESPONSE, REQUEST, ENVIRON | {"PATH_INFO": f"/x/{token}"}, TOOK)
    line = out.getvalue()
    assert line.endswith(f'10.1.2.3 "GET /x/{REDACTED} HTTP/1.1" 200 2871 4ms\n')
    assert token not in line and "page=2" not in line
