"""Changes to SharePoint content, each logged the way SharePoint logs it.

The sample tenant, the synthetic generator and the editor API all change content through
these functions, so the change log always matches the content.
"""

from __future__ import annotations

from datetime import datetime

from emulator import changelog as cl
from emulator.directory import User
from emulator.ids import new_id
from emulator.tenant import (
    DOCUMENT_LIBRARY,
    DRAFT,
    ROLE_BY_NAME,
    SECURITY_GROUP,
    SHAREPOINT_GROUP,
    SITE_PAGES,
    USER,
    Content,
    ListItem,
    RoleAssignment,
    Site,
    SitePrincipal,
    SPList,
    Tenant,
    Version,
)

NEWS, PAGE = 2, 0  # PromotedState values
PAGE_CONTENT_TYPE = "0x0101009D1CB255DA76424F860D91F20E6C4118"
FOLDER_CONTENT_TYPE = "0x0120"
DOCUMENT_CONTENT_TYPE = "0x0101"


class EditError(ValueError):
    """An edit that SharePoint would refuse (name clash, missing item, …)."""


def log(tenant: Tenant, site: Site, change_type: int, kind: str, lst: SPList | None = None,
        item: ListItem | None = None, group_id: int = 0, user_id: int = 0) -> cl.Change:
    """Append one change to the site's change log and return it."""
    change = cl.Change(
        number=cl.next_change_number(), time=tenant.clock.now(), change_type=change_type,
        kind=kind, site_id=site.id, web_id=site.web_id, list_id=lst.id if lst else "",
        item_id=item.id if item else 0, unique_id=item.unique_id if item else "",
        group_id=group_id, user_id=user_id)
    site.changes.append(change)
    if lst is not None and kind == "item":
        lst.last_item_modified = change.time
    return change


def principal_for(site: Site, who: User) -> SitePrincipal:
    """The site's principal entry for a directory user."""
    return site.ensure_principal(who.login_name, who.name, USER, who.upn)


# --- sites and lists -------------------------------------------------------------------------

def create_site(tenant: Tenant, name: str, title: str, template: str = "STS#3",
                description: str = "", owners: list[str] = (), members: list[str] = (),
                visitors: list[str] = ()) -> Site:
    """Create a site collection with its Owners, Members and Visitors groups and default lists.

    ``owners``, ``members`` and ``visitors`` are claims login names put into those groups.
    """
    now = tenant.clock.now()
    site = Site(id=new_id(), web_id=new_id(), url=f"/sites/{name.lower()}", title=title,
                template=template, created=now, description=description)
    tenant.sites[site.url] = site
    for suffix, role, logins in (("Owners", "Full Control", owners), ("Members", "Edit", members),
                                 ("Visitors", "Read", visitors)):
        group = site.ensure_principal(f"{title} {suffix}", f"{title} {suffix}", SHAREPOINT_GROUP)
        group.members = [_principal_for_login(tenant, site, login).id for login in logins]
        site.role_assignments.append(RoleAssignment(group.id, [ROLE_BY_NAME[role].id]))
    add_list(tenant, site, "Dokumenter", "Shared Documents", DOCUMENT_LIBRARY,
             "Shared_x0020_Documents")
    add_list(tenant, site, "Webstedssider", "SitePages", SITE_PAGES, "SitePages",
             enable_minor_versions=True)
    return site


def _principal_for_login(tenant: Tenant, site: Site, login: str) -> SitePrincipal:
    directory = tenant.directory
    for user in directory.users.values():
        if user.login_name.lower() == login.lower():
            return principal_for(site, user)
    for group in directory.groups.values():
        if group.login_name.lower() == login.lower():
            return site.ensure_principal(group.login_name, group.name, SECURITY_GROUP)
    if login == directory.everyone_login_name:
        return site.ensure_principal(login, "Everyone except external users", SECURITY_GROUP)
    existing = site.principal_by_login(login)
    if existing is None:
        raise EditError(f"unknown principal {login!r}")
    return existing


def add_list(tenant: Tenant, site: Site, title: str, url_name: str,
             base_template: int = DOCUMENT_LIBRARY, entity_type_name: str | None = None,
             enable_minor_versions: bool = False) -> SPList:
    """Create a document library (or Site Pages) in a site."""
    lst = SPList(id=new_id(), title=title, base_template=base_template,
                 entity_type_name=entity_type_name or url_name.replace(" ", "_x0020_"),
                 root_url=f"{site.url}/{url_name}", created=tenant.clock.now(),
                 enable_minor_versions=enable_minor_versions)
    site.lists[lst.id] = lst
    log(tenant, site, cl.ADD, "list", lst)
    return lst


def delete_list(tenant: Tenant, site: Site, lst: SPList) -> None:
    """Delete a library with everything in it (SharePoint logs the list's deletion alone)."""
    if site.lists.pop(lst.id, None) is None:
        raise EditError(f"no list {lst.title!r} in {site.url}")
    log(tenant, site, cl.DELETE_OBJECT, "list", lst)


def register_hub_site(tenant: Tenant, site: Site) -> None:
    """Make a site a hub site (``Register-PnPHubSite``); a hub is associated with itself."""
    site.is_hub_site, site.hub_site_id = True, site.id


def join_hub_site(tenant: Tenant, site: Site, hub: Site | None) -> None:
    """Associate a site with a hub site, or with none (``Add-PnPHubSiteAssociation``)."""
    if hub is not None and not hub.is_hub_site:
        raise EditError(f"{hub.url} is not a hub site")
    if site.is_hub_site:
        raise EditError(f"{site.url} is a hub site itself")
    site.hub_site_id = hub.id if hub is not None else None


# --- files, folders and pages ----------------------------------------------------------------

def _new_item(tenant: Tenant, site: Site, lst: SPList, folder: str, name: str, author: User,
              is_folder: bool, when: datetime | None, content_type_id: str) -> ListItem:
    directory = f"{lst.root_url}/{folder.strip('/')}".rstrip("/") if folder else lst.root_url
    if directory != lst.root_url and lst.item_by_url(directory) is None:
        raise EditError(f"no folder {directory}")
    if lst.item_by_url(f"{directory}/{name}") is not None:
        raise EditError(f"{directory}/{name} already exists")
    item = ListItem(id=lst.next_item_id, name=name, dir=directory, is_folder=is_folder,
                    author_id=principal_for(site, author).id, created=when or tenant.clock.now(),
                    versions=[], unique_id=new_id(), content_type_id=content_type_id)
    lst.next_item_id += 1
    lst.items[item.id] = item
    return item


def add_folder(tenant: Tenant, site: Site, lst: SPList, path: str, author: User,
               when: datetime | None = None) -> ListItem:
    """Create a folder (and log it); ``path`` is relative to the library root."""
    parent, _, name = path.strip("/").rpartition("/")
    item = _new_item(tenant, site, lst, parent, name, author, True, when, FOLDER_CONTENT_TYPE)
    item.versions.append(Version(1, 0, {"Title": name}, item.created, item.author_id))
    log(tenant, site, cl.ADD, "item", lst, item)
    return item


def add_file(tenant: Tenant, site: Site, lst: SPList, folder: str, name: str, content: Content,
             author: User, size: int | None = None, fields: dict | None = None,
             when: datetime | None = None, publish: bool = True) -> ListItem:
    """Upload a new file; with minor versions on and ``publish`` false it stays a 0.1 draft."""
    item = _new_item(tenant, site, lst, folder, name, author, False, when, DOCUMENT_CONTENT_TYPE)
    values = {"Title": name.rsplit(".", 1)[0]} | (fields or {})
    draft = lst.enable_minor_versions and not publish
    item.versions.append(Version(0 if draft else 1, 1 if draft else 0, values, item.created,
                                 item.author_id, content, _size(content, size),
                                 DRAFT if draft and lst.enable_moderation else 0))
    log(tenant, site, cl.ADD, "item", lst, item)
    return item


def _size(content: Content, size: int | None) -> int:
    if size is not None:
        return size
    return len(content) if isinstance(content, bytes) else len(content())


def add_page(tenant: Tenant, site: Site, name: str, title: str, canvas: str, author: User,
             description: str = "", banner_url: str = "", banner_alt: str = "",
             news: bool = True, audiences: list[str] = (), when: datetime | None = None,
             publish: bool = True, extra_fields: dict | None = None) -> ListItem:
    """Create a modern page in Site Pages; ``news`` promotes it (PromotedState 2)."""
    lst = site_pages(site)
    item = _new_item(tenant, site, lst, "", name, author, False, when, PAGE_CONTENT_TYPE)
    fields = {
        "Title": title, "Description": description, "CanvasContent1": canvas,
        "BannerImageUrl": {"Url": banner_url, "Description": banner_alt or banner_url}
        if banner_url else None,
        "PromotedState": NEWS if news else PAGE, "FirstPublishedDate": None,
        "PageLayoutType": "Article", "_ModernAudienceAadObjectIds": list(audiences),
        "LayoutWebpartsContent": "",
    } | (extra_fields or {})
    if publish:
        fields["FirstPublishedDate"] = item.created
    item.versions.append(Version(1 if publish else 0, 0 if publish else 1, fields, item.created,
                                 item.author_id, canvas.encode(), len(canvas.encode())))
    log(tenant, site, cl.ADD, "item", lst, item)
    return item


def site_pages(site: Site) -> SPList:
    """The Site Pages library of a site."""
    return next(x for x in site.lists.values() if x.base_template == SITE_PAGES)


def save_version(tenant: Tenant, site: Site, lst: SPList, item: ListItem, editor: User,
                 fields: dict | None = None, content: Content | None = None,
                 publish: bool = True, when: datetime | None = None) -> Version:
    """Save a new version: a major one when published, else a minor draft."""
    if item.is_folder:
        raise EditError("folders have no versions")
    current = item.current
    values = dict(current.fields) | (fields or {})
    new_content = content if content is not None else current.content
    if lst.enable_minor_versions and not publish:
        major, minor = current.major, current.minor + 1
    else:
        major, minor = current.major + 1, 0
        if values.get("PromotedState") == NEWS and values.get("FirstPublishedDate") is None:
            values["FirstPublishedDate"] = when or tenant.clock.now()
    if "CanvasContent1" in values and content is None:
        new_content = values["CanvasContent1"].encode()
    size = _size(new_content, None) if new_content is not None else 0
    version = Version(major, minor, values, when or tenant.clock.now(),
                      principal_for(site, editor).id, new_content, size)
    item.versions.append(version)
    log(tenant, site, cl.UPDATE, "item", lst, item)
    return version


def publish(tenant: Tenant, site: Site, lst: SPList, item: ListItem, editor: User) -> Version:
    """Publish the newest draft as the next major version."""
    return save_version(tenant, site, lst, item, editor, publish=True)


def unpublish(tenant: Tenant, site: Site, lst: SPList, item: ListItem, editor: User) -> Version:
    """Turn the published version back into a draft: N.0 becomes (N-1).1."""
    current = item.current
    if current.minor != 0 or current.major == 0:
        raise EditError("only a published version can be unpublished")
    previous_minor = max((v.minor for v in item.versions if v.major == current.major - 1),
                         default=0)
    draft = Version(current.major - 1, previous_minor + 1, dict(current.fields),
                    tenant.clock.now(), principal_for(site, editor).id, current.content,
                    current.size)
    item.versions[-1] = draft
    log(tenant, site, cl.UPDATE, "item", lst, item)
    return draft


def delete_item(tenant: Tenant, site: Site, lst: SPList, item: ListItem) -> None:
    """Delete a file, page or folder (with everything in it) to the recycle bin."""
    doomed = [item]
    if item.is_folder:
        prefix = item.file_ref.lower() + "/"
        doomed += [i for i in lst.items.values() if i.file_ref.lower().startswith(prefix)]
    for victim in sorted(doomed, key=lambda i: -len(i.file_ref)):
        del lst.items[victim.id]
        log(tenant, site, cl.DELETE_OBJECT, "item", lst, victim)


def rename_item(tenant: Tenant, site: Site, lst: SPList, item: ListItem, new_name: str) -> None:
    """Rename a file or folder in place; items inside a folder move with it."""
    if lst.item_by_url(f"{item.dir}/{new_name}") is not None:
        raise EditError(f"{new_name} already exists")
    _relocate(tenant, site, lst, item, item.dir, new_name, cl.RENAME)


def move_item(tenant: Tenant, site: Site, lst: SPList, item: ListItem, folder: str) -> None:
    """Move a file or folder to another folder of the same library (relative path)."""
    target = f"{lst.root_url}/{folder.strip('/')}".rstrip("/") if folder else lst.root_url
    if target != lst.root_url and lst.item_by_url(target) is None:
        raise EditError(f"no folder {target}")
    if lst.item_by_url(f"{target}/{item.name}") is not None:
        raise EditError(f"{target}/{item.name} already exists")
    _relocate(tenant, site, lst, item, target, item.name, cl.MOVE_INTO)


def _relocate(tenant: Tenant, site: Site, lst: SPList, item: ListItem, new_dir: str,
              new_name: str, change_type: int) -> None:
    old_ref = item.file_ref
    item.dir, item.name = new_dir, new_name
    if not item.is_folder and "FileLeafRef" in item.fields:
        item.fields["FileLeafRef"] = new_name
    log(tenant, site, change_type, "item", lst, item)
    if item.is_folder:
        prefix = old_ref.lower() + "/"
        for child in lst.items.values():
            if child.dir.lower() + "/" == prefix or child.dir.lower().startswith(prefix):
                child.dir = item.file_ref + child.dir[len(old_ref):]
                log(tenant, site, change_type, "item", lst, child)


def move_to_library(tenant: Tenant, site: Site, source: SPList, item: ListItem, target: SPList,
                    editor: User) -> ListItem:
    """Move a file to another library: SharePoint logs a delete here and an add there."""
    if item.is_folder:
        raise EditError("moving folders across libraries is not supported")
    moved = _new_item(tenant, site, target, "", item.name, editor, False, item.created,
                      item.content_type_id)
    moved.versions = list(item.versions)
    moved.unique_id = item.unique_id
    moved.author_id = item.author_id
    del source.items[item.id]
    log(tenant, site, cl.DELETE_OBJECT, "item", source, item)
    log(tenant, site, cl.ADD, "item", target, moved)
    return moved


# --- permissions --------------------------------------------------------------------------

def break_inheritance(tenant: Tenant, site: Site, lst: SPList, item: ListItem | None = None,
                      copy: bool = True) -> None:
    """Give a list or item its own permissions, starting from a copy of the inherited ones."""
    inherited = site.effective_role_assignments(lst, item) if copy else []
    fresh = [RoleAssignment(r.principal_id, list(r.role_ids)) for r in inherited]
    target = item if item is not None else lst
    target.role_assignments = fresh
    _log_security(tenant, site, lst, item, cl.SCOPE_ADD)


def reset_inheritance(tenant: Tenant, site: Site, lst: SPList,
                      item: ListItem | None = None) -> None:
    """Make a list or item inherit its parent's permissions again."""
    target = item if item is not None else lst
    target.role_assignments = None
    _log_security(tenant, site, lst, item, cl.SCOPE_DELETE)


def grant(tenant: Tenant, site: Site, lst: SPList | None, item: ListItem | None, login: str,
          role: str = "Read") -> None:
    """Add a role assignment on a web, list or item (breaking inheritance if needed)."""
    principal = _principal_for_login(tenant, site, login)
    assignments = _own_assignments(tenant, site, lst, item)
    assignments[:] = [a for a in assignments if a.principal_id != principal.id]
    assignments.append(RoleAssignment(principal.id, [ROLE_BY_NAME[role].id]))
    _log_security(tenant, site, lst, item, cl.ASSIGNMENT_ADD)


def revoke(tenant: Tenant, site: Site, lst: SPList | None, item: ListItem | None,
           login: str) -> None:
    """Remove a principal's role assignment from a web, list or item."""
    principal = _principal_for_login(tenant, site, login)
    assignments = _own_assignments(tenant, site, lst, item)
    assignments[:] = [a for a in assignments if a.principal_id != principal.id]
    _log_security(tenant, site, lst, item, cl.ASSIGNMENT_DELETE)


def _own_assignments(tenant: Tenant, site: Site, lst: SPList | None,
                     item: ListItem | None) -> list[RoleAssignment]:
    if lst is None:
        return site.role_assignments
    target = item if item is not None else lst
    if target.role_assignments is None:
        break_inheritance(tenant, site, lst, item)
    return target.role_assignments


def _log_security(tenant: Tenant, site: Site, lst: SPList | None, item: ListItem | None,
                  change_type: int) -> None:
    if item is not None:
        log(tenant, site, change_type, "item", lst, item)
    elif lst is not None:
        log(tenant, site, change_type, "list", lst)
    else:
        log(tenant, site, change_type, "web")


def add_group_member(tenant: Tenant, site: Site, group_title: str, login: str) -> None:
    """Add a user or Entra group to a SharePoint group."""
    group = site.group_by_title(group_title)
    if group is None:
        raise EditError(f"no SharePoint group {group_title!r}")
    member = _principal_for_login(tenant, site, login)
    if member.id not in group.members:
        group.members.append(member.id)
    log(tenant, site, cl.MEMBER_ADD, "group", group_id=group.id, user_id=member.id)


def remove_group_member(tenant: Tenant, site: Site, group_title: str, login: str) -> None:
    """Remove a user or Entra group from a SharePoint group."""
    group = site.group_by_title(group_title)
    member = site.principal_by_login(login)
    if group is None or member is None:
        raise EditError(f"no member {login!r} in {group_title!r}")
    group.members = [m for m in group.members if m != member.id]
    log(tenant, site, cl.MEMBER_DELETE, "group", group_id=group.id, user_id=member.id)
