"""What the sample's builders share: the tenant, the seeded randomness and handy look-ups."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from emulator import editing
from emulator.directory import Group, User
from emulator.tenant import ListItem, Site, SPList, Tenant

EVERYONE = "everyone"


@dataclass
class Sample:
    """A tenant under construction; dates are counted back from ``now``."""

    tenant: Tenant
    rng: random.Random
    now: datetime

    def user(self, upn: str) -> User:
        """The directory user with this UPN."""
        found = self.tenant.directory.user_by_upn(upn)
        if found is None:
            raise KeyError(upn)
        return found

    def group(self, name: str) -> Group:
        """The Entra group with this display name."""
        return next(g for g in self.tenant.directory.groups.values() if g.name == name)

    def login(self, who: str) -> str:
        """The claims login name of a UPN, an Entra group name, a SharePoint group or EVERYONE."""
        if who == EVERYONE:
            return self.tenant.directory.everyone_login_name
        if "@" in who:
            return self.user(who).login_name
        if who.endswith((" Owners", " Members", " Visitors")):
            return who
        return self.group(who).login_name

    def site(self, url: str) -> Site:
        """The site collection at a server-relative URL."""
        found = self.tenant.site_by_url(url)
        if found is None:
            raise KeyError(url)
        return found

    def library(self, site_url: str, title: str) -> SPList:
        """A list of a site, by title."""
        found = self.site(site_url).list_by_title(title)
        if found is None:
            raise KeyError(f"{site_url}: {title}")
        return found

    def ago(self, days: float) -> datetime:
        """The moment ``days`` days before the build started."""
        return self.now - timedelta(days=days)

    def restrict(self, site_url: str, library: str, item: ListItem | None,
                 grants: dict[str, str]) -> None:
        """Give a list or item its own permissions: exactly ``grants`` (who -> role name)."""
        site, lst = self.site(site_url), self.library(site_url, library)
        editing.break_inheritance(self.tenant, site, lst, item, copy=False)
        for who, role in grants.items():
            editing.grant(self.tenant, site, lst, item, self.login(who), role)
