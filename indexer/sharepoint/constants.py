"""Everything the SharePoint client needs to know about SharePoint, in one place."""

from __future__ import annotations

# --- lists -------------------------------------------------------------------------------------

DOCUMENT_LIBRARY = 101  # BaseTemplate of a document library
SITE_PAGES_URL = "SitePages"  # Site Pages' folder name: its title is localised, this is not

LIBRARY_FIELDS = ("Id", "Title", "BaseTemplate", "Hidden", "ItemCount", "EntityTypeName",
                  "RootFolder/ServerRelativeUrl", "LastItemModifiedDate")
LIBRARY_EXPAND = ("RootFolder",)

# --- items -------------------------------------------------------------------------------------

PAGE_SIZE = 500  # SharePoint serves at most 5,000; 500 keeps each answer small
MAX_PAGES = 2_000  # bound of every paging loop: 1,000,000 items at PAGE_SIZE

DOCUMENT_FIELDS = (
    "Id", "UniqueId", "FileRef", "FileLeafRef", "FileDirRef", "FSObjType", "Title", "Modified",
    "Created", "Author/Title", "Editor/Title", "File/Length", "File/TimeLastModified",
    "OData__UIVersionString", "OData__ModerationStatus", "HasUniqueRoleAssignments",
)
DOCUMENT_EXPAND = ("Author", "Editor", "File")

PAGE_FIELDS = (
    *DOCUMENT_FIELDS, "Description", "CanvasContent1", "LayoutWebpartsContent", "BannerImageUrl",
    "PromotedState", "FirstPublishedDate", "OData__ModernAudienceAadObjectIds",
    "OData__TopicHeader",
)
PAGE_EXPAND = DOCUMENT_EXPAND

# --- changes -----------------------------------------------------------------------------------

CHANGE_FETCH_LIMIT = 1_000  # changes asked for per GetChanges call

# SP.ChangeType values.
CHANGE_TYPES = {
    0: "no_change", 1: "add", 2: "update", 3: "delete", 4: "rename", 5: "move_away",
    6: "move_into", 7: "restore", 8: "role_add", 9: "role_delete", 10: "role_update",
    11: "assignment_add", 12: "assignment_delete", 13: "member_add", 14: "member_delete",
    15: "system_update", 16: "navigation", 17: "scope_add", 18: "scope_delete",
    19: "list_content_type_add", 20: "list_content_type_delete", 21: "dirty",
    22: "activity",
}

# What a list's change query asks for: items, and everything that can change their content,
# place or permissions.
ITEM_CHANGE_QUERY = {
    "Item": True, "Add": True, "Update": True, "SystemUpdate": False, "DeleteObject": True,
    "Rename": True, "Move": True, "Restore": True, "RoleAssignmentAdd": True,
    "RoleAssignmentDelete": True, "SecurityPolicy": True,
}

# What a site collection's change query asks for: every item of every list (to tell which
# lists changed), lists, the web and the site (their structure), SharePoint groups and users
# (membership), and permissions anywhere.
SITE_CHANGE_QUERY = {
    **ITEM_CHANGE_QUERY, "List": True, "Web": True, "Site": True, "Group": True, "User": True,
    "GroupMembershipAdd": True, "GroupMembershipDelete": True, "RoleDefinitionAdd": True,
    "RoleDefinitionDelete": True, "RoleDefinitionUpdate": True,
}

# Change types that alter who may see something (names of CHANGE_TYPES).
SECURITY_CHANGE_TYPES = frozenset({
    "role_add", "role_delete", "role_update", "assignment_add", "assignment_delete",
    "member_add", "member_delete", "scope_add", "scope_delete",
})

INVALID_CHANGE_TOKEN = "SPInvalidChangeTokenException"

# --- sites -------------------------------------------------------------------------------------

SITE_FIELDS = ("Id", "Url", "ServerRelativeUrl", "HubSiteId", "IsHubSite")
WEB_FIELDS = ("Id", "Title", "Url", "ServerRelativeUrl", "Description", "Language")
NO_HUB = "00000000-0000-0000-0000-000000000000"

# Sites associated with a hub (the hub included): DepartmentId holds "{hub site id}".
HUB_SEARCH_QUERY = "DepartmentId:{{{hub_id}}} contentclass:STS_Site"
HUB_SEARCH_PROPERTIES = ("SPSiteUrl", "Title", "SiteId")
SEARCH_ROW_LIMIT = 500

# --- permissions -------------------------------------------------------------------------------

ROLE_ASSIGNMENT_EXPAND = ("Member", "Member/Users", "RoleDefinitionBindings")

SHAREPOINT_GROUP = 8  # SP.PrincipalType of a SharePoint group
VIEW_ROLE_KINDS = frozenset({2, 3, 4, 5, 6, 7})  # Reader … Reviewer; 1 is Limited Access
VIEW_LIST_ITEMS = 0x1  # bit of BasePermissions.Low

EVERYONE = "everyone"
USER_LOGIN_PREFIX = "i:0#.f|membership|"
GROUP_LOGIN_PREFIXES = ("c:0o.c|federateddirectoryclaimprovider|", "c:0t.c|tenant|")
GROUP_OWNERS_SUFFIX = "_o"
EVERYONE_LOGINS = ("c:0-.f|rolemanager|spo-grid-all-users/", "c:0(.s|true")

# --- transport ---------------------------------------------------------------------------------

THROTTLED_STATUSES = frozenset({429, 503})  # SharePoint's "slow down" answers
UNAVAILABLE_STATUSES = frozenset({502, 504})  # gateways that may answer next time
