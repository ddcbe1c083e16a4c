"""What a started emulator tells its user: URLs, sample sign-ins and the settings to use."""

from __future__ import annotations

from pathlib import Path

from emulator.server import Emulator


def tenant_settings(emulator: Emulator) -> dict[str, str]:
    """The indexer and portal settings that point at this emulator."""
    registration = emulator.registration
    sites = ",".join(emulator.site_url(site.name) for site in emulator.tenant.sites.values())
    return {
        "TENANT_ID": emulator.tenant.directory.tenant_id,
        "AUTHORITY_HOST": emulator.state.login_url,
        "CLIENT_ID": registration.client_id,
        "CLIENT_SECRET": registration.client_secret,
        "CERTIFICATE_KEY_FILE": str(registration.certificate.key_file.resolve()),
        "CERTIFICATE_THUMBPRINT": registration.certificate.thumbprint,
        "CA_FILE": str(emulator.ca_file.resolve()),
        "SHAREPOINT_URL": emulator.sharepoint_url,
        "SHAREPOINT_SITES": sites,
        "GRAPH_URL": emulator.graph_url,
    }


def write_settings(emulator: Emulator, path: Path) -> Path:
    """Write the settings as an environment file (mode 600: it holds a client secret)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{k}={v}\n" for k, v in tenant_settings(emulator).items()))
    path.chmod(0o600)
    return path


def describe(emulator: Emulator, settings_file: Path) -> str:
    """A short, readable summary of a running emulator."""
    users = sorted(emulator.tenant.directory.users.values(), key=lambda u: u.name)
    people = "\n".join(f"    {u.name:<28} {u.job_title:<34} {u.upn}" for u in users[:12])
    more = f"\n    … and {len(users) - 12} more" if len(users) > 12 else ""
    return (
        f"Microsoft 365 emulator for {emulator.tenant.name} is running.\n"
        f"  SharePoint REST   {emulator.sharepoint_url}/sites/<site>/_api/…\n"
        f"  Sites             {', '.join(emulator.tenant.sites)}\n"
        f"  Entra ID          {emulator.authority}/v2.0/.well-known/openid-configuration\n"
        f"  Graph             {emulator.graph_url}/v1.0/me/getMemberObjects\n"
        f"  Test CA           {emulator.ca_file}\n"
        f"  Settings          {settings_file}\n"
        f"  Sample sign-ins (no passwords: pick one on the sign-in page):\n{people}{more}\n"
        "Press Ctrl-C to stop.\n"
    )
