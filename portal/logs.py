"""The portal's logs: JSON lines in production, readable lines in development, no secrets.

Nothing in the portal logs a token, a password or document text on purpose; as a second line of
defence every line passes through :class:`RedactingFormatter`, which blanks anything shaped like
a token, a private key or a credential parameter, and the configured secrets themselves.
Search queries are logged only when ``LOG_SEARCH_QUERIES`` is on, and never with who searched
or from where.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any, TextIO

from flask import Flask, current_app, request
from gunicorn import glogging
from werkzeug.wrappers import Response

from indexer.config import environment
from indexer.logs import JsonFormatter

REDACTED = "[redacted]"
SECRET_SETTINGS = ("CLIENT_SECRET", "SECRET_KEY", "METRICS_TOKEN")
MAX_QUERY_CHARS = 200
_SHAPES = (
    re.compile(r"eyJ[\w-]{6,}\.[\w-]{6,}\.[\w-]*"),  # a JWT (access, id or assertion token)
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
)
_KEYED = re.compile(  # key=value, key: value and "key": "value" forms of credentials
    r"(?i)(\b(?:access_token|refresh_token|id_token|client_secret|client_assertion|password"
    r"|authorization|code_verifier)\b[\"']?\s*[=:]\s*[\"']?(?:bearer\s+)?)[^\s\"'&,;}]+")
_BEARER = re.compile(r"(?i)(\bbearer\s+)[\w.~+/-]+=*")
_AUTH_CODE = re.compile(r"([?&]code=)[^\s&\"']+")
_QUERY_STRING = re.compile(r"\?[^\s\"]*")
_NAMED_ATOM = re.compile(r"\{[^}]*\}[ioe]")  # an access log atom of a header or environ key
_PLAIN_ENVIRON = ("REMOTE_ADDR", "REQUEST_METHOD", "RAW_URI", "SERVER_PROTOCOL", "PATH_INFO",
                  "QUERY_STRING", "HTTP_REFERER", "HTTP_USER_AGENT", "HTTP_AUTHORIZATION")
searches = logging.getLogger("portal.searches")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with tokens, private keys, credential parameters and ``secrets`` blanked."""
    for shape in _SHAPES:
        text = shape.sub(REDACTED, text)
    for keyed in (_KEYED, _BEARER, _AUTH_CODE):
        text = keyed.sub(lambda m: m.group(1) + REDACTED, text)
    for secret in secrets:
        for form in {secret, json.dumps(secret)[1:-1]}:
            text = text.replace(form, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    """Formats with ``inner``, then redacts the whole line (message, extras, traceback)."""

    def __init__(self, inner: logging.Formatter, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.inner = inner
        self.secrets = tuple(s for s in secrets if len(s) >= 4)

    def format(self, record: logging.LogRecord) -> str:
        """The inner formatter's line, redacted."""
        return redact(self.inner.format(record), self.secrets)


class NoQueryStrings(logging.Filter):
    """Cuts the query strings (search words, sign-in codes) off the development server's
    request lines, as the gunicorn access log never has them."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, without query strings if it is a request line."""
        if record.name == "werkzeug" and isinstance(record.args, tuple):
            record.args = tuple(_QUERY_STRING.sub("", arg) if isinstance(arg, str) else arg
                                for arg in record.args)
        return True


def formatter(log_format: str, secrets: Iterable[str] = ()) -> logging.Formatter:
    """The redacting formatter of a ``LOG_FORMAT`` (``json`` or ``text``)."""
    inner = JsonFormatter() if log_format == "json" else logging.Formatter(
        "%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
    return RedactingFormatter(inner, secrets)


def _secrets(config: Mapping[str, Any]) -> list[str]:
    return [str(config.get(name) or "") for name in SECRET_SETTINGS]


def configure(config: Mapping[str, Any], stream: TextIO | None = None,
              level: int = logging.INFO) -> logging.Handler:
    """Send every log record to ``stream`` (stderr) in the configured format; the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(config["LOG_FORMAT"], _secrets(config)))
    handler.addFilter(NoQueryStrings())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return handler


class GunicornLogger(glogging.Logger):
    """Gunicorn's error and access logs in the portal's format, redacted the same way.

    Set as ``logger_class`` in deploy/gunicorn.conf.py; reads LOG_FORMAT from the environment.
    When the access log format names no header or environment variable (``%({name}i)s``,
    ``o`` or ``e``), those atoms are not made: gunicorn would build them all for every line.
    """

    def setup(self, cfg: Any) -> None:
        """Gunicorn's set-up, then the portal's formatter on every handler."""
        super().setup(cfg)
        env = environment()
        chosen = formatter(env.get("LOG_FORMAT", "text"), _secrets(env))
        for logger in (self.error_log, self.access_log):
            for handler in logger.handlers:
                handler.setFormatter(chosen)
        self.named_atoms = bool(_NAMED_ATOM.search(cfg.access_log_format))

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        """Gunicorn's atoms of one access log line (without the unused named ones)."""
        if self.named_atoms:
            return super().atoms(resp, req, environ, request_time)
        plain = {key: environ[key] for key in _PLAIN_ENVIRON if key in environ}
        sent = SimpleNamespace(status=resp.status, sent=getattr(resp, "sent", None), headers=())
        return super().atoms(sent, (), plain, request_time)


def _log_search(response: Response) -> Response:
    query = request.args.get("q", "") if request.endpoint == "search.results" else ""
    if query and current_app.config["LOG_SEARCH_QUERIES"]:
        searches.info("search: %s", " ".join(query.split())[:MAX_QUERY_CHARS])
    return response


def init_app(app: Flask) -> None:
    """Log search queries if configured (the text only)."""
    app.after_request(_log_search)
