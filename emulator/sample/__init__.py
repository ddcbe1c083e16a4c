"""The sample tenant: Sundby Kommune, a small Danish municipality on Microsoft 365.

``people`` names the users and groups, ``catalogue`` the sites, documents and pages that tests
rely on.
"""

from __future__ import annotations

import random

from emulator.ids import repeatable_ids
from emulator.sample import people
from emulator.sample.context import Sample
from emulator.sample.docs_hr import build_hr_documents
from emulator.sample.docs_intranet import build_intranet_documents
from emulator.sample.docs_it import build_it_documents
from emulator.sample.docs_schools import build_school_documents
from emulator.sample.news import build_news
from emulator.sample.sites import build_sites
from emulator.tenant import Tenant


def build_sample_tenant(seed: int = 1) -> Tenant:
    """Build Sundby Kommune's tenant.

    The same seed gives the same ids, titles, texts and file bytes, and the same dates counted
    back from the tenant clock's time at the start of the build.
    """
    tenant = Tenant(name=people.TENANT_NAME, directory=people.new_directory())
    sample = Sample(tenant, random.Random(seed), tenant.clock.now().replace(microsecond=0))
    with repeatable_ids(f"{people.TENANT_ID}/{seed}"):
        build_sites(sample)
        build_news(sample)
        build_intranet_documents(sample)
        build_hr_documents(sample)
        build_school_documents(sample)
        build_it_documents(sample)
    return tenant
