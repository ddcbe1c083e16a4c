"""The four site collections of Sundby Kommune, their libraries and who may see them."""

from __future__ import annotations

from emulator import editing
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.sample.context import EVERYONE, Sample
from emulator.tenant import DOCUMENT_LIBRARY

# url, name, title, template, description, owners, members, visitors
SITES = (
    (c.INTRANET, "intranet", "Intranet", "SITEPAGEPUBLISHING#0",
     "Nyheder og fælles information for alle medarbejdere i Sundby Kommune",
     [p.IT_ADMIN], [p.COMMUNICATION], [EVERYONE]),
    (c.HR_SITE, "hr", "HR", "STS#3", "Personalepolitikker, skabeloner og personalesager",
     [p.HR], [p.ADMINISTRATION], [p.MANAGERS]),
    (c.SCHOOLS, "skoler", "Skoler", "STS#3", "Fælles site for kommunens skoler og lærere",
     [p.MANAGER], [p.TEACHERS], [p.MANAGERS]),
    (c.IT_SITE, "it", "IT", "STS#3", "Vejledninger og driftsinformation fra IT-afdelingen",
     [p.IT_ADMIN], [p.IT], [EVERYONE]),
)

# site url, title, url name, minor versions
LIBRARIES = (
    (c.INTRANET, c.SITE_ASSETS, "SiteAssets", False),
    (c.HR_SITE, c.SITE_ASSETS, "SiteAssets", False),
    (c.SCHOOLS, c.SITE_ASSETS, "SiteAssets", False),
    (c.HR_SITE, c.POLICIES, "Politikker", True),
    (c.HR_SITE, c.PERSONNEL_FILES, "Personalesager", False),
    (c.SCHOOLS, c.TEACHING, "Undervisning", False),
    (c.IT_SITE, c.GUIDES, "Vejledninger", False),
)


def build_sites(s: Sample) -> None:
    """Create the sites with their SharePoint groups, extra libraries and library permissions."""
    for _, name, title, template, description, owners, members, visitors in SITES:
        editing.create_site(s.tenant, name, title, template, description,
                            owners=[s.login(w) for w in owners],
                            members=[s.login(w) for w in members],
                            visitors=[s.login(w) for w in visitors])
    for site_url, title, url_name, minor in LIBRARIES:
        editing.add_list(s.tenant, s.site(site_url), title, url_name, DOCUMENT_LIBRARY,
                         url_name, enable_minor_versions=minor)
    s.restrict(c.HR_SITE, c.PERSONNEL_FILES, None,
               {p.ADMINISTRATION: "Edit", "HR Owners": "Full Control"})
