"""Large synthetic tenants for benchmarks: 10,000 to 100,000 documents with realistic text.

File bytes are made only when read, by ``GeneratedText``, a small picklable callable, so a
100,000-document tenant builds in seconds and can be pickled whole (see ``emulator.storage``).
"""

from __future__ import annotations

import itertools
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from emulator import bulk, editing
from emulator.directory import Directory, User
from emulator.ids import repeatable_ids
from emulator.sample import canvas, files
from emulator.tenant import DOCUMENT_LIBRARY, Content, ListItem, Site, SPList, Tenant

TENANT_NAME = "benchby"
DOMAIN = "benchby.onmicrosoft.com"
UNIQUE_SHARE = 0.05  # share of documents with their own permissions
# A document aims at MIN_WORDS to MAX_WORDS words and lands within a few percent of its aim,
# which keeps every document inside 300 to 1,500 words.
MIN_WORDS, MAX_WORDS = 340, 1360
ENGLISH_SHARE = 0.2
FORMATS = (("txt", 35), ("html", 25), ("md", 25), ("docx", 10), ("pdf", 5))  # percent

DANISH = """og i at det er en til på som de med for af ikke der var et om har vi den kan skal vil
så fra ved efter også når eller alle over være blive have bliver hvor deres mere under kun andre
mellem mod hvis nye kommune kommunen borger borgere borgerne medarbejder medarbejdere
medarbejderne leder ledere ledelsen skole skolen skoler elev elever eleverne lærer lærere
forældre børn unge ældre ældreplejen hjemmeplejen plejecenter sygeplejerske område afdeling
afdelingen opgave opgaver arbejde arbejdet arbejdsmiljø trivsel sygefravær budget budgettet
økonomi udgifter indtægter millioner kroner tilskud regnskab politik politikken retningslinjer
vejledning procedure aftale aftalen møde mødet referat dagsorden beslutning byrådet udvalget
direktionen sagen sager ansøgning tilladelse byggeri lokalplan vejen trafik cykelsti parkering
affald genbrug miljø klima energi vand natur parken biblioteket kultur idræt hallen frivillige
foreninger projekt projektet plan planen strategi mål indsats indsatser evaluering status
rapport undersøgelse tilfredshed data systemet digitalisering adgang sikkerhed persondata
samtykke journal dokumentation kvalitet tilsyn service åbningstider henvendelse telefon god gode
bedre ny vigtigt særlig fælles samlet lokal kommunal offentlig årlig løbende hurtigt sikre
gennemføre udarbejde vurdere godkende behandle orientere drøfte prioritere styrke udvikle
udvikling forbedre etablere tilbyde modtage sende oplyse henvise kontakte deltage beskrive
følge opfølgning ansvar ressourcer personale rekruttering kompetencer uddannelse kursus
erfaringer samarbejde dialog inddragelse høring høringssvar borgermøde tidsplan frist
januar februar marts april juni august september oktober november december år måned uge
dag dage timer procent antal stigning fald niveau forventet faktisk vedtaget politisk
administrativ juridisk lovgivning bekendtgørelse serviceniveau visitation hjælpemidler
rehabilitering træning forebyggelse sundhed dagpleje vuggestue børnehave fritidsordning
udskoling indskoling undervisning prøver karakterer trivselsmåling kantinen rådhuset""".split()

ENGLISH = """the of and to in a is that for it as with on be by this are from at or have an
will not which all their has more also can new been would other than its into some these
council municipality citizens staff employees manager managers school pupils teachers parents
children elderly care home service services department team task tasks work budget cost costs
funding million policy guideline procedure agreement meeting minutes agenda decision committee
case application permit planning road traffic parking waste recycling climate energy water
nature library culture sports volunteers project plan strategy goal goals action evaluation
status report survey data system digital access security privacy consent records quality
inspection opening hours request phone email good better important special local public annual
ongoing quickly ensure implement prepare assess approve process inform discuss prioritise
strengthen develop improve establish offer receive send contact participate describe follow
responsibility resources recruitment skills training course experience cooperation dialogue
consultation deadline timeline january february march april june september october november
year month week day hours percent number increase decrease level expected actual adopted
political legal legislation rehabilitation prevention health nursery kindergarten teaching
exams wellbeing canteen town hall""".split()

TITLES_DA = ("Referat", "Notat", "Vejledning", "Politik", "Handleplan", "Statusrapport",
             "Budgetnotat", "Tilsynsrapport", "Procedure", "Mødeindkaldelse", "Evaluering")
SUBJECTS_DA = ("ældreplejen", "hjemmeplejen", "skoleområdet", "dagtilbud", "vej og park",
               "affaldsordningen", "klimaindsatsen", "biblioteket", "borgerservice",
               "beskæftigelse", "sundhedsplejen", "IT-drift", "rekruttering", "arbejdsmiljø")
TITLES_EN = ("Report", "Guide", "Minutes", "Policy", "Briefing", "Action plan", "Review")
SUBJECTS_EN = ("elderly care", "school transport", "waste collection", "climate plan",
               "IT security", "recruitment", "library services", "road maintenance")
DEPARTMENTS = (("aeldre", "Ældre og sundhed"), ("boern", "Børn og unge"),
               ("teknik", "Teknik og miljø"), ("kultur", "Kultur og fritid"),
               ("job", "Job og beskæftigelse"), ("oekonomi", "Økonomi"), ("hr", "HR og løn"),
               ("it", "IT og digitalisering"), ("borgerservice", "Borgerservice"))
FOLDERS = ("Referater", "Referater/2024", "Referater/2025", "Skabeloner", "Projekter",
           "Projekter/Klima", "Projekter/Digitalisering", "Arkiv", "Arkiv/2023", "Vejledninger")
FIRST_NAMES = ("Anne", "Mette", "Kirsten", "Hanne", "Lene", "Camilla", "Sofie", "Ida", "Emma",
               "Jens", "Peter", "Lars", "Søren", "Niels", "Rasmus", "Mads", "Anders", "Jonas")
LAST_NAMES = ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
              "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Møller")
_FORMAT_NAMES = [name for name, _ in FORMATS]
_FORMAT_WEIGHTS = list(itertools.accumulate(share for _, share in FORMATS))
_PLACES = ("",) * 4 + FOLDERS  # most documents lie in the library root
_ASCII = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


@dataclass(frozen=True)
class Vocabulary:
    """Words in order of frequency, with Zipf-like weights, and their mean size in bytes."""

    words: tuple[str, ...]
    cum_weights: tuple[float, ...]
    bytes_per_word: float

    @classmethod
    def of(cls, words: list[str]) -> Vocabulary:
        """A vocabulary whose n-th word is used in proportion to 1 / (n + 2)."""
        weights = [1 / (rank + 2) for rank in range(len(words))]
        mean = sum(w * (len(word.encode()) + 1) for w, word in zip(weights, words, strict=True))
        return cls(tuple(words), tuple(itertools.accumulate(weights)),
                   mean / sum(weights) + 1 / 11)  # + the full stop of an 11-word sentence


VOCABULARIES = {False: Vocabulary.of(DANISH), True: Vocabulary.of(ENGLISH)}
_WRAPPERS = {  # format -> (before the title, after the title, paragraph break, end)
    "txt": ("", "\n\n", "\n\n", "\n"),
    "md": ("# ", "\n\n", "\n\n", "\n"),
    "html": ("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Dokument</title>"
             "</head>\n<body>\n<h1>", "</h1>\n<p>", "</p>\n<p>", "</p>\n</body>\n</html>\n"),
}


@dataclass(frozen=True, slots=True)
class GeneratedText:
    """The bytes of one generated text document, made again each time it is read."""

    seed: int
    index: int
    words: int
    english: bool
    fmt: str
    title: str

    @property
    def size(self) -> int:
        """The exact length in bytes of what a call returns, known without making it."""
        before, after, _, end = _WRAPPERS[self.fmt]
        return len(f"{before}{self.title}{after}".encode()) + self._body_size + len(end)

    @property
    def _body_size(self) -> int:
        return round(self.words * VOCABULARIES[self.english].bytes_per_word)

    def __call__(self) -> bytes:
        """The document: about ``words`` words of sentences and paragraphs in its format."""
        before, after, paragraph_break, end = _WRAPPERS[self.fmt]
        body = _text(random.Random(f"{self.seed}:{self.index}"), VOCABULARIES[self.english],
                     self._body_size, paragraph_break.encode())
        return f"{before}{self.title}{after}".encode() + body + end.encode()


def _text(rng: random.Random, vocabulary: Vocabulary, size: int, paragraph_break: bytes) -> bytes:
    """Exactly ``size`` bytes of sentences; the last word that does not fit becomes spaces."""
    paragraphs: list[bytes] = []
    length = -len(paragraph_break)
    while length <= size:
        sentences = []
        for _ in range(rng.randint(3, 7)):
            words = rng.choices(vocabulary.words, cum_weights=vocabulary.cum_weights,
                                k=rng.randint(6, 16))
            sentences.append(" ".join(words).capitalize() + ".")
        paragraphs.append(" ".join(sentences).encode())
        length += len(paragraph_break) + len(paragraphs[-1])
    text = paragraph_break.join(paragraphs)
    cut = text.rfind(b" ", 0, size + 1)
    return text[:cut] + b" " * (size - cut)


@dataclass
class _Build:
    """What the steps of one synthetic build share."""

    tenant: Tenant
    rng: random.Random
    seed: int
    now: datetime
    users: list[User]
    office: dict[str, list[bytes]]

    def ago(self, most_days: float) -> datetime:
        """A random moment in the last ``most_days`` days."""
        return self.now - timedelta(days=self.rng.uniform(0, most_days))


def build_synthetic_tenant(docs: int, seed: int = 1, sites: int = 10) -> Tenant:
    """A tenant with ``docs`` documents spread over ``sites`` sites, plus some news.

    About 5% of the documents have unique permissions. The same seed gives the same ids,
    names and bytes. Each site's Documents library holds three fifths of its documents, so
    with 100,000 documents and 10 sites the libraries pass SharePoint's 5,000-item threshold.
    """
    if sites < 1:
        raise ValueError("a tenant needs at least one site")
    rng = random.Random(seed)
    tenant = Tenant(name=TENANT_NAME, directory=_directory(rng, min(250, 40 + docs // 300)))
    users = list(tenant.directory.users.values())
    with repeatable_ids(f"{TENANT_NAME}/{seed}"):
        b = _Build(tenant, rng, seed, tenant.clock.now().replace(microsecond=0), users,
                   _office_files(seed, users[0].name))
        built = [_site(b, number) for number in range(sites)]
        restricted = set(rng.sample(range(docs), round(docs * UNIQUE_SHARE)))
        start = 0
        for number, (site, libraries) in enumerate(built):
            count = docs // sites + (number < docs % sites)
            in_main = count * 3 // 5
            for lst, amount in zip(libraries, (in_main, count - in_main), strict=True):
                batch = [_new_file(b, index) for index in range(start, start + amount)]
                items = bulk.add_files(tenant, site, lst, batch)
                for index, item in enumerate(items, start=start):
                    if index in restricted:
                        _restrict(b, site, lst, item)
                start += amount
        _news(b, built[0][0], 5 + docs // 200)
    return tenant


def _directory(rng: random.Random, count: int) -> Directory:
    directory = Directory(tenant_id=str(uuid.uuid5(uuid.NAMESPACE_DNS, DOMAIN)), domain=DOMAIN)
    names = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    rng.shuffle(names)
    users = []
    for first, last in names[:count]:
        upn = f"{first}.{last}".lower().translate(_ASCII)
        users.append(directory.add_user(upn, f"{first} {last}", "Medarbejder",
                                        oid=_oid(rng)))
    directory.add_group("Alle medarbejdere", users, microsoft365=True, gid=_oid(rng))
    for _, title in DEPARTMENTS:
        directory.add_group(title, rng.sample(users, max(1, count // 6)), gid=_oid(rng))
    return directory


def _oid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _site(b: _Build, number: int) -> tuple[Site, list[SPList]]:
    directory, owner = b.tenant.directory, b.users[0]
    if number == 0:
        name, title, template, group = "intranet", "Intranet", "SITEPAGEPUBLISHING#0", None
    else:
        key, title = DEPARTMENTS[(number - 1) % len(DEPARTMENTS)]
        lap = (number - 1) // len(DEPARTMENTS)
        name, template = f"{key}{lap + 1 if lap else ''}", "STS#3"
        group = next(g for g in directory.groups.values() if g.name == title)
    everyone = group is None or b.rng.random() < 0.5
    visitors = [directory.everyone_login_name] if everyone else [group.login_name]
    site = editing.create_site(b.tenant, name, title, template, owners=[owner.login_name],
                               members=[group.login_name] if group else [], visitors=visitors)
    archive = editing.add_list(b.tenant, site, "Arkiv", "Arkiv", DOCUMENT_LIBRARY)
    libraries = [site.list_by_title("Dokumenter"), archive]
    for lst in libraries:
        for folder in FOLDERS:
            editing.add_folder(b.tenant, site, lst, folder, owner, b.now - timedelta(days=1100))
    return site, libraries


def _office_files(seed: int, author: str) -> dict[str, list[bytes]]:
    """A few real Word and PDF files, made once and shared by many documents."""
    made: dict[str, list[bytes]] = {"docx": [], "pdf": []}
    for variant in range(6):
        text = GeneratedText(seed, -1 - variant, 300 + 50 * variant, variant == 5, "txt", "")
        paragraphs = [p.strip() for p in text().decode().split("\n\n") if p.strip()]
        title = f"Skabelon {variant + 1}"
        made["docx"].append(files.make_docx(title, paragraphs, author))
        made["pdf"].append(files.make_pdf(title, paragraphs, author))
    return made


def _new_file(b: _Build, index: int) -> bulk.NewFile:
    english = b.rng.random() < ENGLISH_SHARE
    kinds, subjects = (TITLES_EN, SUBJECTS_EN) if english else (TITLES_DA, SUBJECTS_DA)
    title = f"{b.rng.choice(kinds)} - {b.rng.choice(subjects)}"
    fmt = b.rng.choices(_FORMAT_NAMES, cum_weights=_FORMAT_WEIGHTS)[0]
    if fmt in b.office:
        content: Content = b.rng.choice(b.office[fmt])
        size = len(content)
    else:
        words = b.rng.randint(MIN_WORDS, MAX_WORDS)
        content = GeneratedText(b.seed, index, words, english, fmt, title)
        size = content.size
    folder = b.rng.choice(_PLACES)
    return bulk.NewFile(folder, f"{title} {index:06d}.{fmt}", content, b.rng.choice(b.users),
                        b.ago(1000), size, {"Title": title})


def _restrict(b: _Build, site: Site, lst: SPList, item: ListItem) -> None:
    """Only one department group (and the site owners) may see the item."""
    groups = [g for g in b.tenant.directory.groups.values() if g.name != "Alle medarbejdere"]
    editing.break_inheritance(b.tenant, site, lst, item, copy=False)
    editing.grant(b.tenant, site, lst, item, b.rng.choice(groups).login_name, "Read")
    editing.grant(b.tenant, site, lst, item, f"{site.title} Owners", "Full Control")


def _news(b: _Build, site: Site, count: int) -> None:
    for number in range(count):
        english = b.rng.random() < ENGLISH_SHARE
        text = GeneratedText(b.seed, -100 - number, b.rng.randint(80, 300), english, "txt", "")
        paragraphs = [p.strip() for p in text().decode().split("\n\n") if p.strip()]
        title = " ".join(paragraphs[0].split()[:6]).rstrip(".").capitalize()
        body = "".join(f"<p>{p}</p>" for p in paragraphs[1:] or paragraphs)
        page = canvas.page([canvas.rich_text(body),
                            canvas.markdown("Kort fortalt", paragraphs[0])])
        editing.add_page(b.tenant, site, f"nyhed-{number:05d}.aspx", title, page,
                         b.rng.choice(b.users), description=paragraphs[0][:160],
                         when=b.ago(365))
