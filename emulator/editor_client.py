"""A small client of the emulator's editor API, for tests and the demo.

Each method is one request and returns the API's JSON answer; the item operations answer
with the item's ``id``, ``url``, ``unique_id``, ``version`` and the site's last ``change``
number. Items are addressed with keyword arguments: ``site``, ``list`` and ``item``, or
``url`` (see :mod:`emulator.editor_targets`).
"""

from __future__ import annotations

import base64

import requests


class EditorApiError(RuntimeError):
    """The editor API refused a request."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


class EditorClient:
    """One short method per editor API operation."""

    def __init__(self, base_url: str, key: str, timeout: float = 30.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.timeout = timeout

    def _send(self, method: str, path: str, body: dict | None = None) -> dict:
        payload = {k: v for k, v in (body or {}).items() if v is not None}
        response = requests.request(
            method, f"{self.base_url}/_emulator/{path}", json=payload, timeout=self.timeout,
            headers={"Authorization": f"Bearer {self.key}"})
        if response.status_code >= 400:
            try:
                message = response.json().get("error", response.text)
            except ValueError:
                message = response.text
            raise EditorApiError(response.status_code, message)
        return response.json()

    # --- news and pages ------------------------------------------------------------------

    def publish_news(self, site: str, title: str, text: str | None = None,
                     html: str | None = None, description: str = "",
                     audiences: list[str] = (), banner: str | None = None,
                     name: str | None = None, publish: bool = True,
                     editor: str | None = None) -> dict:
        """Create a news page from text or HTML; a 0.1 draft when ``publish`` is false."""
        return self._send("POST", "news", {
            "site": site, "title": title, "text": text, "html": html,
            "description": description, "audiences": list(audiences), "banner": banner,
            "name": name, "publish": publish, "editor": editor})

    def edit_news(self, publish: bool = True, **changes) -> dict:
        """Save a page's new version (title, description, text, html, audiences, banner)."""
        return self._send("POST", "news/edit", changes | {"publish": publish})

    def publish(self, **address) -> dict:
        """Publish the newest draft of a page or file as a major version."""
        return self._send("POST", "items/publish", address)

    def unpublish(self, **address) -> dict:
        """Turn a published page or file back into a draft."""
        return self._send("POST", "items/unpublish", address)

    # --- documents and folders -----------------------------------------------------------

    def upload(self, site: str, name: str, content: bytes | None = None, text: str | None = None,
               folder: str = "", library: str | None = None, fields: dict | None = None,
               publish: bool = True, editor: str | None = None) -> dict:
        """Upload a file (bytes, text, or generated text) to a library (default: Documents)."""
        return self._send("POST", "documents", {
            "site": site, "name": name, "text": text, "folder": folder, "list": library,
            "fields": fields, "publish": publish, "editor": editor,
            "content_base64": _b64(content)})

    def edit_document(self, content: bytes | None = None, text: str | None = None,
                      fields: dict | None = None, publish: bool = True, **address) -> dict:
        """Save a file's new version with new bytes and/or field values."""
        return self._send("POST", "documents/edit", address | {
            "content_base64": _b64(content), "text": text, "fields": fields,
            "publish": publish})

    def add_folder(self, site: str, path: str, library: str | None = None) -> dict:
        """Create a folder (``path`` relative to the library root)."""
        return self._send("POST", "folders", {"site": site, "path": path, "list": library})

    def rename(self, name: str, **address) -> dict:
        """Rename a file or folder."""
        return self._send("POST", "items/rename", address | {"name": name})

    def move(self, folder: str | None = None, library: str | None = None, **address) -> dict:
        """Move a file to another folder and/or another library of the same site."""
        return self._send("POST", "items/move",
                          address | {"folder": folder, "library": library})

    def delete(self, **address) -> dict:
        """Delete a file, folder or page."""
        return self._send("POST", "items/delete", address)

    # --- permissions and groups ----------------------------------------------------------

    def break_inheritance(self, copy: bool = True, **address) -> dict:
        """Give a list or item its own permissions."""
        return self._send("POST", "permissions/break", address | {"copy": copy})

    def reset_inheritance(self, **address) -> dict:
        """Make a list or item inherit permissions again."""
        return self._send("POST", "permissions/reset", address)

    def grant(self, role: str = "Read", **address_and_principal) -> dict:
        """Grant ``role`` on a web, list or item (site=, list=, item= or url=) to a principal
        (user=, group= for an Entra group, login= or everyone=True)."""
        return self._send("POST", "permissions/grant", address_and_principal | {"role": role})

    def revoke(self, **address_and_principal) -> dict:
        """Remove a principal's role assignment from a web, list or item."""
        return self._send("POST", "permissions/revoke", address_and_principal)

    def add_sharepoint_group_member(self, site: str, sharepoint_group: str,
                                    **principal) -> dict:
        """Add a principal (user=, group= for an Entra group, login=) to a SharePoint group."""
        return self._send("POST", "sharepoint-groups/members",
                          principal | {"site": site, "sharepoint_group": sharepoint_group})

    def remove_sharepoint_group_member(self, site: str, sharepoint_group: str,
                                       **principal) -> dict:
        """Remove a principal from a SharePoint group."""
        return self._send("DELETE", "sharepoint-groups/members",
                          principal | {"site": site, "sharepoint_group": sharepoint_group})

    def add_entra_group_member(self, group: str, user: str) -> dict:
        """Add a user to an Entra group (the directory only)."""
        return self._send("POST", "entra-groups/members", {"group": group, "user": user})

    def remove_entra_group_member(self, group: str, user: str) -> dict:
        """Remove a user from an Entra group (the directory only)."""
        return self._send("DELETE", "entra-groups/members", {"group": group, "user": user})

    # --- clock, settings and faults ------------------------------------------------------

    def advance_clock(self, days: float = 0, hours: float = 0, minutes: float = 0,
                      seconds: float = 0) -> dict:
        """Move emulated time forward; answers the new ``now``."""
        return self._send("POST", "clock/advance", {"days": days, "hours": hours,
                                                    "minutes": minutes, "seconds": seconds})

    def settings(self, expired_token_behaviour: str | None = None,
                 change_retention_days: int | None = None) -> dict:
        """Set (and read) the expired change token behaviour and the change log retention."""
        return self._send("PUT", "settings", {
            "expired_token_behaviour": expired_token_behaviour,
            "change_retention_days": change_retention_days})

    def add_fault(self, kind: str, **options) -> dict:
        """Add a fault rule (see :class:`emulator.faults.Fault`); answers it with its id."""
        return self._send("POST", "faults", options | {"kind": kind})

    def remove_fault(self, rule_id: int) -> dict:
        """Remove one fault rule."""
        return self._send("DELETE", f"faults/{rule_id}")

    def clear_faults(self, reset_counts: bool = False) -> dict:
        """Remove every fault rule (and, if asked, the injected counts)."""
        return self._send("DELETE", "faults?counts=1" if reset_counts else "faults")

    def faults(self) -> dict:
        """The rules in force and how many faults of each kind were injected."""
        return self._send("GET", "faults")


def _b64(content: bytes | None) -> str | None:
    return base64.b64encode(content).decode() if content is not None else None

