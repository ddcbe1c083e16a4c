"""The indexer's settings: every environment variable, its default and its meaning."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from indexer.config import Setting, SettingsError, as_list, environment, load, missing_secrets

VERSION = "0.1.0"
MAX_CLIENT_STATE = 128  # the longest clientState Microsoft documents (Graph); stay within it


def as_webhook_url(raw: str) -> str:
    """An absolute http(s) URL, or nothing."""
    parts = urlsplit(raw.strip())
    if raw.strip() and (parts.scheme not in ("http", "https") or not parts.netloc):
        raise ValueError(f"expected an https://… URL, got {raw!r}")
    return raw.strip()


def as_client_state(raw: str) -> str:
    """A client state SharePoint accepts: at most :data:`MAX_CLIENT_STATE` characters."""
    if len(raw) > MAX_CLIENT_STATE:
        raise ValueError(f"longer than {MAX_CLIENT_STATE} characters")
    return raw

SETTINGS: tuple[Setting, ...] = (
    Setting("SHAREPOINT_URL", "http://127.0.0.1:7070",
            "Origin of the tenant's SharePoint, e.g. https://contoso.sharepoint.com.",
            required_in_production=True),
    Setting("SHAREPOINT_SITES", "", "Comma-separated URLs of the sites to mirror.", as_list),
    Setting("SHAREPOINT_HUB_SITE", "",
            "URL of a hub site: every site associated with it is mirrored too."),
    Setting("SHAREPOINT_LIBRARIES", "",
            "Comma-separated titles or URL names of the document libraries to mirror "
            "(empty: every library).", as_list),
    Setting("TENANT_ID", "", "The Entra ID tenant (directory) id.", required_in_production=True),
    Setting("AUTHORITY_HOST", "https://login.microsoftonline.com",
            "Entra ID sign-in host; the authority is AUTHORITY_HOST/TENANT_ID."),
    Setting("CLIENT_ID", "", "Application (client) id of the app registration.",
            required_in_production=True),
    Setting("CERTIFICATE_KEY_FILE", "",
            "PEM private key of the app's certificate (app-only access to SharePoint).",
            required_in_production=True),
    Setting("CERTIFICATE_THUMBPRINT", "", "SHA-1 thumbprint (hex) of that certificate.",
            required_in_production=True),
    Setting("CA_FILE", "",
            "Extra CA bundle to trust for Entra ID and SharePoint (empty: the system's)."),
    Setting("INDEX_DIR", "var/index", "Directory of the search index (created if missing).",
            Path),
    Setting("INDEX_URL", "",
            "A `postgresql://` URL: keep the search index in that PostgreSQL database, shared "
            "by many portal nodes (see docs/scale-out.md); empty: the Whoosh index in INDEX_DIR.",
            secret=True),
    Setting("POLL_INTERVAL", "60", "Seconds between incremental passes of `indexer watch`.",
            float),
    Setting("MAX_FILE_MB", "50", "Files larger than this are indexed by metadata only.", float),
    Setting("EXTRACT_TIMEOUT", "60", "Seconds one file's text extraction may take.", float),
    Setting("CHANGE_TOKEN_MAX_AGE_DAYS", "45",
            "A list whose change token is older than this is fully re-enumerated.", float),
    Setting("RECONCILE_DAYS", "7",
            "Days between full reconciliations of every list, a safety net.", float),
    Setting("ORGANISATION", "Sundby Kommune",
            "Your organisation's name, sent in the User-Agent SharePoint asks for."),
    Setting("LOG_FORMAT", "text", "Log lines as `text` (readable) or `json` (production)."),
    Setting("WEBHOOK_URL", "",
            "Public URL of the portal's `/webhooks/sharepoint`, which SharePoint must reach: "
            "`indexer watch` subscribes every mirrored list to it (empty: polling only).",
            as_webhook_url),
    Setting("WEBHOOK_CLIENT_STATE", "",
            "A secret of up to 128 characters that SharePoint sends back with each "
            "notification; the portal's setting of the same name must be equal.",
            as_client_state, secret=True),
)


@dataclass(frozen=True)
class IndexerSettings:
    """Parsed settings; attribute names are the variables in lower case."""

    sharepoint_url: str
    sharepoint_sites: list[str]
    sharepoint_hub_site: str
    sharepoint_libraries: list[str]
    tenant_id: str
    authority_host: str
    client_id: str
    certificate_key_file: str
    certificate_thumbprint: str
    ca_file: str
    index_dir: Path
    poll_interval: float
    max_file_mb: float
    extract_timeout: float
    change_token_max_age_days: float
    reconcile_days: float
    organisation: str
    log_format: str
    webhook_url: str = ""
    webhook_client_state: str = ""
    index_url: str = ""

    @property
    def authority(self) -> str:
        """The msal authority URL."""
        return f"{self.authority_host.rstrip('/')}/{self.tenant_id}"

    @property
    def user_agent(self) -> str:
        """The User-Agent SharePoint asks ISV-less apps to send."""
        return f"NONISV|{self.organisation}|IntranetIndexer/{VERSION}"

    @property
    def max_file_bytes(self) -> int:
        """MAX_FILE_MB in bytes."""
        return int(self.max_file_mb * 1024 * 1024)


def load_settings(values: Mapping[str, str] | None = None) -> IndexerSettings:
    """Read the settings from ``values`` (default: the environment and ``.env``)."""
    parsed = load(SETTINGS, environment() if values is None else values)
    if not parsed["sharepoint_sites"] and not parsed["sharepoint_hub_site"]:
        raise SettingsError("set SHAREPOINT_SITES or SHAREPOINT_HUB_SITE: nothing to mirror")
    missing = missing_secrets(SETTINGS, parsed)
    if missing:
        raise SettingsError("missing settings: " + ", ".join(missing))
    if bool(parsed["webhook_url"]) != bool(parsed["webhook_client_state"]):
        raise SettingsError("set both WEBHOOK_URL and WEBHOOK_CLIENT_STATE, or neither")
    return IndexerSettings(**parsed)
