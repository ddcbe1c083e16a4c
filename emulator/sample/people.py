"""The people and Entra groups of Sundby Kommune, with stable handles for tests."""

from __future__ import annotations

import uuid

from emulator.directory import Directory

TENANT_NAME = "sundby"
DOMAIN = "sundby.onmicrosoft.com"
TENANT_ID = str(uuid.uuid5(uuid.NAMESPACE_DNS, DOMAIN))
_NAMESPACE = uuid.UUID(TENANT_ID)

TEACHER = f"mette.hansen@{DOMAIN}"
TEACHER_2 = f"anders.kristensen@{DOMAIN}"
CARE_WORKER = f"birgitte.sorensen@{DOMAIN}"
TECHNICIAN = f"jens.moller@{DOMAIN}"
HR = f"camilla.norgaard@{DOMAIN}"
IT_ADMIN = f"rasmus.dahl@{DOMAIN}"
MANAGER = f"lone.aagaard@{DOMAIN}"
EDITOR = f"sofie.lund@{DOMAIN}"
MANY_GROUPS = f"peter.holm@{DOMAIN}"

ALL_STAFF = "Alle medarbejdere"
TEACHERS = "Lærere"
ADMINISTRATION = "Administration"
IT = "IT"
MANAGERS = "Ledere"
COMMUNICATION = "Kommunikation"
PROJECT_GROUP_COUNT = 210

# upn -> (display name, job title, the named groups besides "Alle medarbejdere")
PEOPLE: dict[str, tuple[str, str, tuple[str, ...]]] = {
    TEACHER: ("Mette Hansen", "Lærer", (TEACHERS,)),
    TEACHER_2: ("Anders Kristensen", "Lærer", (TEACHERS,)),
    CARE_WORKER: ("Birgitte Sørensen", "Social- og sundhedshjælper", ()),
    TECHNICIAN: ("Jens Møller", "Driftstekniker", ()),
    HR: ("Camilla Nørgaard", "HR-konsulent", (ADMINISTRATION,)),
    IT_ADMIN: ("Rasmus Dahl", "IT-administrator", (IT,)),
    MANAGER: ("Lone Aagaard", "Skoleleder", (MANAGERS,)),
    EDITOR: ("Sofie Lund", "Kommunikationsmedarbejder", (COMMUNICATION,)),
    MANY_GROUPS: ("Peter Holm", "Projektleder", (MANAGERS,)),
}
GROUPS = (ALL_STAFF, TEACHERS, ADMINISTRATION, IT, MANAGERS, COMMUNICATION)


def stable_oid(kind: str, name: str) -> str:
    """A directory object id that never changes: uuid5 of the tenant and a name."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{name}"))


def project_group_name(number: int) -> str:
    """The name of one of the small project groups, such as ``Projektgruppe 007``."""
    return f"Projektgruppe {number:03d}"


def new_directory() -> Directory:
    """Sundby's directory: the staff, the six named groups and the many project groups."""
    directory = Directory(tenant_id=TENANT_ID, domain=DOMAIN)
    users = {upn: directory.add_user(upn, name, title, oid=stable_oid("user", upn))
             for upn, (name, title, _) in PEOPLE.items()}
    for group_name in GROUPS:
        members = [users[upn] for upn, (_, _, groups) in PEOPLE.items()
                   if group_name == ALL_STAFF or group_name in groups]
        directory.add_group(group_name, members, microsoft365=group_name == ALL_STAFF,
                            gid=stable_oid("group", group_name))
    for number in range(1, PROJECT_GROUP_COUNT + 1):
        name = project_group_name(number)
        directory.add_group(name, [users[MANY_GROUPS]], gid=stable_oid("group", name))
    return directory
