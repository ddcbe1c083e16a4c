"""The portal's settings: every environment variable, its default and its meaning.

The tenant settings have the same names as the indexer's (see ``indexer/settings.py``), so one
``.env`` file serves both.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from indexer.backend import is_postgres
from indexer.config import Setting, SettingsError, as_bool, as_list, environment, load

LANGUAGES = ("da", "en")


def as_networks(raw: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Parse a comma-separated list of IP ranges in CIDR form (a bare address is one host)."""
    return [ipaddress.ip_network(part, strict=False) for part in as_list(raw)]


def as_quick_links(raw: str) -> list[tuple[str, str]]:
    """Parse ``label|url; label|url``; each URL must be http(s) or a path in the portal."""
    links = []
    for entry in filter(None, (part.strip() for part in raw.split(";"))):
        label, sep, url = (value.strip() for value in entry.partition("|"))
        scheme = urlsplit(url).scheme.lower()
        if not sep or not label or not (scheme in ("http", "https") or
                                         (not scheme and url.startswith("/"))):
            raise ValueError(f"expected 'label|https://…' or 'label|/path', got {entry!r}")
        links.append((label, url))
    return links


def as_minutes(raw: str) -> float:
    """A positive number."""
    value = float(raw)
    if value <= 0:
        raise ValueError(f"expected a positive number, got {raw!r}")
    return value


def as_age_limit(raw: str) -> float:
    """A number that is zero or more (zero turns the check off)."""
    value = float(raw)
    if value < 0:
        raise ValueError(f"expected 0 or more, got {raw!r}")
    return value


def as_session_db(raw: str) -> str | Path:
    """A `postgresql://` URL as it is, anything else as the path of a SQLite file."""
    return raw.strip() if is_postgres(raw) else Path(raw)


def as_log_format(raw: str) -> str:
    """``text`` or ``json``."""
    if raw not in ("text", "json"):
        raise ValueError(f"expected text or json, got {raw!r}")
    return raw


def as_language(raw: str) -> str:
    """One of the portal's languages."""
    if raw not in LANGUAGES:
        raise ValueError(f"expected one of {', '.join(LANGUAGES)}, got {raw!r}")
    return raw


SETTINGS: tuple[Setting, ...] = (
    Setting("SECRET_KEY", "", "Signs the session cookie and CSRF tokens: a long random string, "
            "the same on every portal node.", secret=True, required_in_production=True),
    Setting("PORTAL_URL", "",
            "Public origin of the portal, e.g. https://intra.sundby.dk, for the sign-in redirect "
            "URI (empty: taken from each request)."),
    Setting("TRUSTED_PROXIES", "0",
            "Number of reverse proxies in front of the portal whose X-Forwarded-For and "
            "X-Forwarded-Proto headers are trusted.", int),
    Setting("INDEX_DIR", "var/index", "Directory of the search index the indexer writes.", Path),
    Setting("INDEX_URL", "",
            "A `postgresql://` URL: read the search index from that PostgreSQL database, the "
            "indexer's INDEX_URL (see docs/scale-out.md); empty: the Whoosh index in INDEX_DIR.",
            secret=True),
    Setting("SESSION_DB", "var/portal/sessions.sqlite3",
            "Where the signed-in sessions are kept (who, their groups, when last active): a "
            "SQLite file, shared by the portal processes of one machine, or a `postgresql://` "
            "URL, shared by every portal node (may be the INDEX_URL database; see "
            "docs/scale-out.md).", as_session_db),
    Setting("KIOSK_DEFAULT", "false",
            "Whether \"Is this a shared computer?\" starts as yes.", as_bool),
    Setting("KIOSK_IP_RANGES", "",
            "Comma-separated IP ranges (CIDR) of shared computers: sign-ins from them are always "
            "shared-computer sessions.", as_networks),
    Setting("KIOSK_IDLE_MINUTES", "10",
            "A shared-computer session ends after this many idle minutes.", as_minutes),
    Setting("PERSONAL_IDLE_HOURS", "8",
            "A personal-device session ends after this many idle hours.", as_minutes),
    Setting("QUICK_LINKS", "",
            "Front page quick links: `label|url` pairs separated by `;`.", as_quick_links),
    Setting("PINNED_NEWS", "",
            "Comma-separated news to show first on the front page (to those who may see them "
            "and are in their audience): document ids, or portal links ending in `/news/<id>`.",
            as_list),
    Setting("DEFAULT_LANGUAGE", "da", "Language of the portal until a user picks one (da, en).",
            as_language),
    Setting("TIMEZONE", "Europe/Copenhagen", "Time zone that dates are shown in."),
    Setting("TENANT_ID", "", "The Entra ID tenant (directory) id.", required_in_production=True),
    Setting("AUTHORITY_HOST", "https://login.microsoftonline.com",
            "Entra ID sign-in host; the authority is AUTHORITY_HOST/TENANT_ID."),
    Setting("CLIENT_ID", "", "Application (client) id of the app registration.",
            required_in_production=True),
    Setting("CLIENT_SECRET", "", "Client secret of the app registration (user sign-in).",
            secret=True, required_in_production=True),
    Setting("CERTIFICATE_KEY_FILE", "",
            "PEM private key of the app's certificate (app-only access for images and "
            "downloads).", required_in_production=True),
    Setting("CERTIFICATE_THUMBPRINT", "", "SHA-1 thumbprint (hex) of that certificate.",
            required_in_production=True),
    Setting("CA_FILE", "",
            "Extra CA bundle to trust for Entra ID, Graph and SharePoint (empty: the system's)."),
    Setting("SHAREPOINT_URL", "http://127.0.0.1:7070",
            "Origin of the tenant's SharePoint; images and downloads come only from here.",
            required_in_production=True),
    Setting("GRAPH_URL", "https://graph.microsoft.com",
            "Microsoft Graph origin (group memberships of users in more than 200 groups)."),
    Setting("ADMIN_GROUP", "",
            "Object id of the Entra group whose members see the sync status page at /admin "
            "(empty: nobody)."),
    Setting("MAX_SYNC_AGE_MINUTES", "60",
            "/readyz answers 503 when the last successful sync is older than this (0: never).",
            as_age_limit),
    Setting("METRICS_TOKEN", "",
            "Bearer token a Prometheus scraper sends to read /metrics.", secret=True),
    Setting("METRICS_IP_RANGES", "",
            "Comma-separated IP ranges (CIDR) that may read /metrics without the token "
            "(neither set: /metrics is closed).", as_networks),
    Setting("WEBHOOK_CLIENT_STATE", "",
            "Secret that SharePoint sends back with each webhook notification, equal to the "
            "indexer's; /webhooks/sharepoint refuses notifications without it (empty: the "
            "endpoint is off and changes are found by polling).", secret=True),
    Setting("LOG_FORMAT", "text", "Log lines as `text` (readable) or `json` (production).",
            as_log_format),
    Setting("LOG_SEARCH_QUERIES", "false",
            "Log the text of each search (never who searched or from where).", as_bool),
)


def load_config(values: Mapping[str, Any] | None) -> dict[str, Any]:
    """Flask config from ``values`` (default: the environment and ``.env``).

    Strings are parsed by the table; other values (tests pass Paths, lists, numbers) are taken
    as they are. Keys outside the table pass through. Outside testing, every setting a
    production portal needs must be set (tests pass ``TESTING=True``).
    """
    raw = environment() if values is None else dict(values)
    known = {s.env for s in SETTINGS}
    parsed = load(SETTINGS, {k: v for k, v in raw.items() if isinstance(v, str)})
    config = {s.env: parsed[s.attribute] for s in SETTINGS}
    config.update({k: v for k, v in raw.items() if k in known and not isinstance(v, str)})
    if values is not None:
        config.update({k: v for k, v in raw.items() if k not in known})
    missing = [s.env for s in SETTINGS if s.required_in_production and not config[s.env]]
    if missing and not config.get("TESTING"):
        raise SettingsError("the portal cannot start: set " + ", ".join(missing)
                            + " (see 'Portal settings' in README.md)")
    return config


def authority(config: Mapping[str, Any]) -> str:
    """The msal authority URL."""
    return f"{str(config['AUTHORITY_HOST']).rstrip('/')}/{config['TENANT_ID']}"


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def readme_section() -> str:
    """The "Portal settings" table of README.md, generated from :data:`SETTINGS`."""
    rows = ["| variable | default | meaning |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "—"
        required = " **Needed in production.**" if setting.required_in_production else ""
        meaning = setting.help.replace("|", "\\|") + required
        rows.append(f"| `{setting.env}` | {default} | {meaning} |")
    return "\n".join(rows)
