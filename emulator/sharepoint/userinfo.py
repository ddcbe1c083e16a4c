"""Entries of the user information list, as an expanded ``Author`` or ``Editor`` lookup
(``SP.Data.UserInfoItem``): ``Id`` and ``Title`` unless other fields are selected."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from emulator.sharepoint.context import Ctx
from emulator.sharepoint.errors import no_such_field
from emulator.sharepoint.resources import Resource
from emulator.tenant import Site


class LookupUser(Resource):
    """An expanded Author or Editor: an ``SP.Data.UserInfoItem`` of the user information list."""

    type_name = "SP.Data.UserInfoItem"

    def __init__(self, site: Site, principal_id: int) -> None:
        self.site, self.principal_id = site, principal_id

    def path(self, ctx: Ctx) -> str:
        """The user's entry in the site's user information list."""
        return f"Web/SiteUserInfoList/Items({self.principal_id})"

    def uri(self, ctx: Ctx) -> str | None:
        return None

    def entity_id(self, ctx: Ctx) -> str | None:
        return str(uuid.uuid5(uuid.UUID(self.site.id), f"UserInfo/{self.principal_id}"))

    def properties(self, ctx: Ctx) -> dict:
        principal = self.site.principals.get(self.principal_id)
        return {"Id": self.principal_id, "Title": principal.title if principal else None}

    def hidden(self, ctx: Ctx) -> dict[str, Callable[[], Any]]:
        p = self.site.principals.get(self.principal_id)
        return {"ID": lambda: self.principal_id, "Name": lambda: p.login_name if p else None,
                "EMail": lambda: p.email or None if p else None,
                "UserName": lambda: p.email or None if p else None,
                "SipAddress": lambda: p.email or None if p else None,
                "IsSiteAdmin": lambda: p.is_site_admin if p else False,
                "Deleted": lambda: p is None, "Picture": lambda: None,
                "JobTitle": lambda: self._job_title(ctx), "Department": lambda: None}

    def _job_title(self, ctx: Ctx) -> str | None:
        principal = self.site.principals.get(self.principal_id)
        person = ctx.tenant.directory.user_by_upn(principal.email) if principal else None
        return person.job_title or None if person else None

    def unknown(self, name: str) -> Exception | None:
        return no_such_field(name)
