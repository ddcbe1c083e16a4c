"""Judged queries on the sample tenant: what a person types, and the items that must come
first. The judged-query tests (on both search backends) and the benchmark (bench/judged.py)
run them on an index of the whole sample tenant, synced through the emulator."""

from __future__ import annotations

from dataclasses import dataclass

from emulator.sample import catalogue as c
from emulator.sample import people as p


@dataclass(frozen=True)
class Judgement:
    """``query`` by ``user`` must give ``first`` (in any order) within the top ``within``
    results (the first ``len(first)`` places unless told), and never any of ``absent``."""

    query: str
    first: tuple[str, ...]
    within: int = 0
    user: str = p.HR
    absent: tuple[str, ...] = ()

    @property
    def depth(self) -> int:
        """How many of the first results must hold every title of ``first``."""
        return self.within or len(self.first)

    def holds(self, titles: list[str]) -> bool:
        """Whether results with these titles (best first) satisfy the judgement."""
        return (set(self.first) <= set(titles[:self.depth])
                and not set(self.absent) & set(titles))


def _title(name: str) -> str:
    return name.rsplit(".", 1)[0]


NEW_STARTERS = tuple(_title(name) for name in c.INFLECTED_DOCUMENTS.values())
SURVEY = _title(c.SURVEY_DOCUMENT)
SATISFACTION = _title(c.SATISFACTION_DOCUMENT)
COMPOUND = _title(c.COMPOUND_DOCUMENT)
HANDBOOK = _title(c.SHARED_WITH_EVERYONE)
STAFF_POLICY = "Staff policy - English summary"
TOWN_HALL = ("Parking at the town hall", "New parking rules at the town hall")

JUDGEMENTS = [
    # Danish inflections: every form finds every other form
    Judgement("medarbejdere", (*NEW_STARTERS, "Sommerfest for alle medarbejdere")),
    Judgement("medarbejder", NEW_STARTERS, within=4),
    Judgement("medarbejderne", NEW_STARTERS, within=4),
    Judgement("elbil", ("Hjemmeplejen kører nu i elbiler",)),
    Judgement("nulstil adgangskode", ("Sådan nulstiller du din adgangskode",)),
    Judgement("lønforhandling", ("Lønforhandlingerne 2026 er gået i gang",)),
    # English inflections
    Judgement("policies", (STAFF_POLICY,)),
    Judgement("employees", (STAFF_POLICY,)),
    Judgement("working from home", (STAFF_POLICY,)),
    Judgement("awards", ("Sundby wins national award for green transition",)),
    Judgement("international staff", ("Welcome guide for international staff",)),
    # æ, ø and å typed as ae, oe and aa
    Judgement("personalehaandbog", (HANDBOOK, "Personalehåndbogen er opdateret")),
    Judgement("moedelokaler", ("Mødelokaler på rådhuset",)),
    Judgement("printeropsaetning", ("Printeropsætning på rådhuset",)),
    Judgement("aarsplan dansk", ("Årsplan dansk 7. klasse",), user=p.TEACHER),
    Judgement("undersoegelse", (SURVEY,)),
    # Compounds: found by their parts, never above the word on its own
    Judgement("undersøgelse", (SURVEY,)),
    Judgement("tilfredshed", (SATISFACTION, COMPOUND)),
    Judgement(c.COMPOUND_WORD, (COMPOUND,)),
    Judgement("hygiejne", ("Hygiejnevejledning hjemmeplejen",)),
    Judgement("sikkerhed", ("Sikkerhed i faglokalet",), user=p.TEACHER),
    Judgement("sygefravær", ("Sygefravær pr. afdeling 2025", "Sygefraværspolitik"),
              within=5),
    # Phrases, -exclude and OR
    Judgement('"nye medarbejdere"', ("Introduktion for nye medarbejdere",)),
    Judgement('"town hall"', TOWN_HALL),
    Judgement('"personalehåndbog 2026"', (HANDBOOK,)),
    Judgement("hjemmearbejde -ordning", ("Politik for hjemmearbejde",),
              absent=("Ny ordning for hjemmearbejde",)),
    Judgement("politik -ryge", ("Politik for hjemmearbejde",), within=3,
              absent=("Rygepolitik",)),
    Judgement("vpn OR mfa", ("VPN guide", "Opsætning af MFA")),
    Judgement("hjemmearbejde OR rygning", ("Politik for hjemmearbejde", "Rygepolitik"),
              within=3),
    # Filters: site:, type: and author:
    Judgement("site:IT vpn", ("VPN guide",)),
    Judgement("site:HR ferie", ("Ferieregler",)),
    Judgement("site:skoler skema 7.A", ("Skema 7.A",), user=p.TEACHER),
    Judgement("type:pdf politik", ("IT-sikkerhedspolitik", "Rygepolitik",
                                   "Sygefraværspolitik")),
    Judgement("type:news ferie", ("Nye regler for ferieplanlægning",)),
    Judgement("type:excel fravær", ("Sygefravær pr. afdeling 2025", "Fraværsoversigt 2025")),
    Judgement("author:Rasmus phishing", ("Phishing - sådan genkender du det",)),
    Judgement('author:"Jens Møller" printer', ("Printer troubleshooting",
                                               "Printeropsætning på rådhuset")),
    # Prefixes
    Judgement("phish*", ("Phishing - sådan genkender du det",)),
    Judgement("sygefrav*", ("Sygefraværspolitik",), within=3),
    Judgement("budget*", ("Budget 2026 - hovedoversigt",), within=3),
    Judgement("lejrsko*", ("8. årgang på lejrskole på Bornholm",), user=p.TEACHER),
]
