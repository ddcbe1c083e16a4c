"""The roots of ``_api``: ``web``, ``site``, ``contextinfo`` and the service entry points."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from flask import Response

from emulator.changelog import SCOPE_SITE, SCOPE_WEB
from emulator.sharepoint import files, pages, search
from emulator.sharepoint.changes import Changes, current_token
from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import method_not_allowed
from emulator.sharepoint.lists import Lists, list_by_url
from emulator.sharepoint.odata import Coll, Complex, json_response, value_body
from emulator.sharepoint.paths import Segment
from emulator.sharepoint.resources import Nav, Node, Resource
from emulator.sharepoint.security import (
    GroupRes,
    RoleAssignments,
    RoleDefinitions,
    SiteGroups,
    SiteUsers,
    role_assignments,
)
from emulator.tenant import SHAREPOINT_GROUP, Site

LIBRARY_VERSION = "16.0.25919.12007"
_ZERO = "00000000-0000-0000-0000-000000000000"


def _called(collection_node: Any, ctx: Ctx) -> Callable[[Segment], Node]:
    """A route to a collection that also answers ``collection(<id>)``."""
    return lambda seg: (collection_node.by_id(seg.arg("id"), ctx) if seg.called
                        else collection_node)


def _template(site: Site) -> tuple[str, int]:
    name, _, configuration = site.template.partition("#")
    return name, int(configuration or 0)


def _last_modified(site: Site) -> Any:
    moments = [lst.last_item_modified for lst in site.lists.values() if lst.last_item_modified]
    return max(moments, default=site.created)


class WebRes(Resource):
    """``SP.Web``: the root web of a site collection."""

    type_name = "SP.Web"

    def __init__(self, site: Site) -> None:
        self.site = site

    def path(self, ctx: Ctx) -> str:
        return "Web"

    def properties(self, ctx: Ctx) -> dict:
        site = self.site
        template, configuration = _template(site)
        modified = _last_modified(site)
        return {
            "AllowRssFeeds": True, "AlternateCssUrl": "", "AppInstanceId": _ZERO,
            "ClassicWelcomePage": None, "Configuration": configuration, "Created": site.created,
            "CurrentChangeToken": current_token(site, SCOPE_WEB, site.web_id, ctx),
            "CustomMasterUrl": f"{site.url}/_catalogs/masterpage/seattle.master",
            "Description": site.description, "DesignPackageId": _ZERO,
            "DocumentLibraryCalloutOfficeWebAppPreviewersDisabled": False,
            "EnableMinimalDownload": False, "FooterEmphasis": 0, "FooterEnabled": False,
            "FooterLayout": 0, "HeaderEmphasis": 0, "HeaderLayout": 0,
            "HideTitleInHeader": False, "HorizontalQuickLaunch": False, "Id": site.web_id,
            "IsHomepageModernized": False, "IsMultilingual": False,
            "IsRevertHomepageLinkHidden": False, "Language": site.language,
            "LastItemModifiedDate": modified, "LastItemUserModifiedDate": modified,
            "LogoAlignment": 0, "MasterUrl": f"{site.url}/_catalogs/masterpage/seattle.master",
            "MegaMenuEnabled": False, "NavAudienceTargetingEnabled": False,
            "NoCrawl": False, "ObjectCacheEnabled": False, "OverwriteTranslationsOnChange": False,
            "ResourcePath": Complex("SP.ResourcePath", {"DecodedUrl": ctx.web_url}),
            "QuickLaunchEnabled": True, "RecycleBinEnabled": True, "SearchScope": 0,
            "ServerRelativeUrl": site.url or "/", "SiteLogoUrl": None,
            "SyndicationEnabled": True, "TenantAdminMembersCanShare": 0, "Title": site.title,
            "TreeViewEnabled": False, "UIVersion": 15, "UIVersionConfigurationEnabled": False,
            "Url": ctx.web_url, "WebTemplate": template,
            "WelcomePage": "SitePages/Home.aspx"}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        return {"HasUniqueRoleAssignments": lambda: True,
                "ServerRelativePath": lambda: Complex("SP.ResourcePath",
                                                      {"DecodedUrl": self.site.url or "/"})}

    def _group(self, suffix: str) -> Callable[[], Resource | None]:
        def find() -> Resource | None:
            group = next((p for p in self.site.principals.values()
                          if p.principal_type == SHAREPOINT_GROUP
                          and p.title.endswith(f" {suffix}")), None)
            return GroupRes(self.site, group) if group else None

        return find

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        site = self.site
        return {"AssociatedMemberGroup": self._group("Members"),
                "AssociatedOwnerGroup": self._group("Owners"),
                "AssociatedVisitorGroup": self._group("Visitors"),
                "Lists": lambda: Lists(site).members(ctx),
                "RoleAssignments": role_assignments(site, "Web", site.role_assignments, ctx),
                "RoleDefinitions": lambda: RoleDefinitions().members(ctx),
                "SiteGroups": lambda: SiteGroups(site).members(ctx),
                "SiteUsers": lambda: SiteUsers(site).members(ctx)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        site = self.site

        def file_by_path(seg: Segment) -> Node:
            return files.file_at(site, str(seg.arg("decodedurl", "DecodedUrl")))

        def folder_by_path(seg: Segment) -> Node:
            return files.folder_at(site, str(seg.arg("decodedurl", "DecodedUrl")))

        return {
            "lists": _called(Lists(site), ctx),
            "getlist": lambda seg: list_by_url(site, str(seg.arg("strUrl"))),
            "getlistusingpath": lambda seg: list_by_url(site, str(seg.arg("decodedurl"))),
            "getfilebyserverrelativeurl": lambda seg: files.file_at(
                site, str(seg.arg("serverRelativeUrl"))),
            "getfilebyserverrelativepath": file_by_path,
            "getfilebyid": lambda seg: files.file_by_id(site, str(seg.arg("uniqueId"))),
            "getfolderbyserverrelativeurl": lambda seg: files.folder_at(
                site, str(seg.arg("serverRelativeUrl"))),
            "getfolderbyserverrelativepath": folder_by_path,
            "siteusers": _called(SiteUsers(site), ctx),
            "getuserbyid": lambda seg: SiteUsers(site).by_id(seg.arg("id"), ctx),
            "sitegroups": _called(SiteGroups(site), ctx),
            "roleassignments": lambda seg: RoleAssignments(site, "Web", site.role_assignments),
            "roledefinitions": _called(RoleDefinitions(), ctx),
            "getchanges": lambda seg: Changes(site, SCOPE_WEB, site.web_id),
        }


class SiteRes(Resource):
    """``SP.Site``: the site collection."""

    type_name = "SP.Site"

    def __init__(self, site: Site) -> None:
        self.site = site

    def path(self, ctx: Ctx) -> str:
        return "Site"

    def properties(self, ctx: Ctx) -> dict:
        site = self.site
        return {
            "AllowCreateDeclarativeWorkflow": False, "AllowDesigner": True,
            "AllowExternalEmbeddingWrapper": 2, "AllowMasterPageEditing": False,
            "AllowRevertFromTemplate": False, "AllowSaveDeclarativeWorkflowAsTemplate": False,
            "AllowSavePublishDeclarativeWorkflow": False, "AllowSelfServiceUpgrade": True,
            "AllowSelfServiceUpgradeEvaluation": True, "AuditLogTrimmingRetention": 90,
            "CanSyncHubSitePermissions": False, "CanUpgrade": True, "ChannelGroupId": _ZERO,
            "Classification": "", "CompatibilityLevel": 15,
            "CurrentChangeToken": current_token(site, SCOPE_SITE, site.id, ctx),
            "DisableAppViews": False, "DisableCompanyWideSharingLinks": False,
            "DisableFlows": False, "ExternalSharingTipsEnabled": False,
            "ExternalUserExpirationInDays": 0, "GeoLocation": "EUR", "GroupId": _ZERO,
            "HubSiteId": site.hub_site_id or _ZERO, "Id": site.id,
            "IsHubSite": site.is_hub_site, "LockIssue": None,
            "MaxItemsPerThrottledOperation": 5000, "NeedsB2BUpgrade": False,
            "ResourcePath": Complex("SP.ResourcePath", {"DecodedUrl": ctx.web_url}),
            "PrimaryUri": f"{ctx.origin}/", "ReadOnly": False, "RelatedGroupId": _ZERO,
            "RequiredDesignerVersion": "15.0.0.0", "SearchBoxInNavBar": 0,
            "SearchBoxPlaceholderText": None, "SensitivityLabelId": None,
            "ServerRelativeUrl": site.url or "/", "ShareByEmailEnabled": True,
            "ShareByLinkEnabled": False, "ShowUrlStructure": False,
            "StatusBarLink": None, "StatusBarText": None, "ThicketSupportDisabled": True,
            "TrimAuditLog": True, "UIVersionConfigurationEnabled": False,
            "UpgradeReminderDate": site.created, "UpgradeScheduled": False,
            "UpgradeScheduledDate": site.created, "Upgrading": False, "Url": ctx.web_url}

    def navigations(self, ctx: Ctx) -> dict[str, Nav]:
        return {"RootWeb": lambda: WebRes(self.site)}

    def routes(self, ctx: Ctx) -> dict[str, Callable[[Segment], Node]]:
        return {"getchanges": lambda seg: Changes(self.site, SCOPE_SITE, self.site.id)}


class ContextInfo(Node):
    """``POST /_api/contextinfo``: the form digest every client asks for first."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def get(self, ctx: Ctx) -> Response:
        raise method_not_allowed("GET", "contextinfo")

    def post(self, ctx: Ctx) -> Response:
        now = ctx.tenant.clock.now()
        digest = hashlib.sha256(f"{self.site.id}{now.isoformat()}".encode()).hexdigest()
        info = Complex("SP.ContextWebInformation", {
            "FormDigestTimeoutSeconds": 1800,
            "FormDigestValue": f"0x{digest.upper()},{now:%d %b %Y %H:%M:%S} -0000",
            "LibraryVersion": LIBRARY_VERSION, "SiteFullUrl": ctx.web_url,
            "SupportedSchemaVersions": Coll(["14.0.0.0", "15.0.0.0"], "Collection(Edm.String)"),
            "WebFullUrl": ctx.web_url})
        return json_response(value_body("GetContextWebInformation", info, ctx.fmt,
                                        ctx.metadata_url), ctx.fmt)


class Root(Node):
    """``/_api`` of a site collection."""

    def __init__(self, site: Site) -> None:
        self.site = site

    def child(self, seg: Segment, ctx: Ctx) -> Node:
        site = self.site
        routes: dict[str, Callable[[], Node]] = {
            "web": lambda: WebRes(site), "site": lambda: SiteRes(site),
            "contextinfo": lambda: ContextInfo(site),
            "lists": lambda: _called(Lists(site), ctx)(seg),
            "search": lambda: search.SearchService(),
            "microsoft.office.server.search.rest.searchservice": lambda: search.SearchService(),
            "sp.hubsites": lambda: _called(search.HubSites(), ctx)(seg),
            "hubsites": lambda: _called(search.HubSites(), ctx)(seg),
            "sitepages": lambda: pages.SitePageService(site),
            "sp.publishing.sitepageservice": lambda: pages.SitePageService(site),
        }
        route = routes.get(seg.key)
        if route is None:
            return super().child(seg, ctx)
        return route()

