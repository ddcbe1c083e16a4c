"""What editor API requests address: sites, lists, items, users, groups and principals.

A request body names a ``site`` (name or ``/sites/<name>``), a ``list`` (title or
server-relative URL) and an ``item`` (id), or gives the ``url`` of a file, folder or page,
which implies site and list. Missing objects raise werkzeug's ``NotFound``, unusable
addresses ``BadRequest``; Flask answers both, and in-process callers may catch them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn
from urllib.parse import unquote

from werkzeug.exceptions import BadRequest, NotFound

from emulator.directory import Group, User
from emulator.tenant import ListItem, Site, SPList, Tenant


@dataclass
class Target:
    """What a request addresses: a site, maybe one of its lists, maybe one item of that list."""

    site: Site
    lst: SPList | None = None
    item: ListItem | None = None


def abort(status: int, message: str) -> NoReturn:
    """Refuse the request: 404 for what does not exist, else 400."""
    raise (NotFound if status == 404 else BadRequest)(message)


def _url(body: dict) -> str:
    return unquote(body.get("url") or "").rstrip("/")


def _under(url: str, prefix: str) -> bool:
    return f"{url}/".lower().startswith(f"{prefix}/".lower())


def resolve(tenant: Tenant, body: dict, default_list: int | None = None,
            need_item: bool = True) -> Target:
    """Resolve the site, list and item a request body addresses; 404 if any is missing."""
    name, url = body.get("site"), _url(body)
    if name:
        site = tenant.site_by_url(name if name.startswith("/") else f"/sites/{name}")
    else:
        site = next((s for s in tenant.sites.values() if url and _under(url, s.url)), None)
    if site is None:
        abort(404, f"no site {name or url!r}")
    ref = unquote(str(body.get("list") or ""))
    if ref:
        lst = site.list_by_url(ref) if ref.startswith("/") else site.list_by_title(ref)
    elif url:
        lst = next((x for x in site.lists.values() if _under(url, x.root_url)), None)
    elif default_list is not None:
        lst = next((x for x in site.lists.values() if x.base_template == default_list), None)
    else:
        return Target(site)
    if lst is None:
        abort(404, f"no list {ref or url!r} in {site.url}")
    if body.get("item") is not None:
        item = lst.items.get(int(body["item"]))
    elif url and url.lower() != lst.root_url.lower():
        item = lst.item_by_url(url)
    elif need_item:
        abort(400, "address an item with 'item' (id) or 'url'")
    else:
        return Target(site, lst)
    if item is None:
        abort(404, f"no item {body.get('item') or url!r} in {lst.root_url}")
    return Target(site, lst, item)


def user(tenant: Tenant, ref: str) -> User:
    """A directory user by object id or UPN (the domain may be left out)."""
    directory = tenant.directory
    if ref in directory.users:
        return directory.users[ref]
    upn = ref if "@" in ref else f"{ref}@{directory.domain}"
    return directory.user_by_upn(upn) or abort(404, f"no user {ref!r}")


def editor(tenant: Tenant, body: dict) -> User:
    """Who makes the change: ``editor`` (UPN), else the directory's first user."""
    if body.get("editor"):
        return user(tenant, body["editor"])
    first = next(iter(tenant.directory.users.values()), None)
    return first or abort(400, "the directory has no user to edit as")


def login(tenant: Tenant, body: dict) -> str:
    """The claims login name of the principal named by login, user, group or everyone."""
    if body.get("login"):
        return body["login"]
    if body.get("everyone"):
        return tenant.directory.everyone_login_name
    if body.get("user"):
        return user(tenant, body["user"]).login_name
    if body.get("group"):
        return entra_group(tenant, body["group"]).login_name
    abort(400, "name the principal with 'login', 'user', 'group' or 'everyone'")


def entra_group(tenant: Tenant, ref: str) -> Group:
    """An Entra group by object id or display name."""
    groups = tenant.directory.groups
    group = groups.get(ref) or next((g for g in groups.values() if g.name == ref), None)
    return group or abort(404, f"no Entra group {ref!r}")


def item_json(t: Target) -> dict:
    """What the API answers about an item: where it is, its ids, version and last change."""
    item = t.item
    return {"site": t.site.url, "list": t.lst.title, "list_id": t.lst.id, "id": item.id,
            "unique_id": item.unique_id, "url": item.file_ref, "name": item.name,
            "version": item.current.label, "change": t.site.changes.last_number()}
