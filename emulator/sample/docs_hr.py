"""The HR site's documents: policies, minutes, survey reports and personnel files."""

from __future__ import annotations

from emulator import editing
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.sample.context import EVERYONE, Sample
from emulator.sample.documents import put
from emulator.sample.prose import MONTHS, minutes, policy

POLICIES = (
    ("Personalepolitik.docx", "Personalepolitikken beskriver de fælles værdier for arbejdet i "
     "Sundby Kommune: tillid, ordentlighed og faglighed.",
     ["Alle har ret til en årlig udviklingssamtale.", "Ledere giver løbende feedback.",
      "Vi taler ordentligt til og om hinanden."]),
    ("Rygepolitik.pdf", "Politikken skal sikre et røgfrit arbejdsmiljø og hjælpe dem, der vil "
     "holde op med at ryge.",
     ["Der må ikke ryges i arbejdstiden.", "Rygning er forbudt på alle kommunens matrikler.",
      "Kommunen tilbyder gratis rygestopkurser."]),
    ("Seniorpolitik.docx", "Seniorpolitikken skal gøre det muligt at blive længere på "
     "arbejdsmarkedet med et godt arbejdsliv.",
     ["Fra det fyldte 60. år tilbydes en seniorsamtale.", "Der kan aftales nedsat tid eller "
      "færre vagter.", "Seniorer kan få to seniordage om året."]),
    ("Trivselspolitik.docx", "Trivselspolitikken handler om et godt psykisk arbejdsmiljø og "
     "om at forebygge stress.",
     ["Tegn på stress tages alvorligt og drøftes med lederen.", "Mobning og chikane "
      "accepteres ikke.", "Alle arbejdspladser laver en trivselsplan hvert år."]),
    ("Politik for hjemmearbejde.docx", "Politikken giver rammerne for arbejde hjemmefra, "
     "når opgaverne tillader det.",
     ["Hjemmearbejde aftales skriftligt med lederen.", "Højst to dage om ugen.",
      "Kommunens udstyr og VPN skal bruges.", "Arbejdsmiljøloven gælder også hjemme."]),
    ("Sygefraværspolitik.pdf", "Sygefraværspolitikken skal sikre omsorg for den syge og en "
     "hurtig og tryg tilbagevenden til arbejdet.",
     ["Sygemelding sker inden kl. 8 på første sygedag.", "Efter 14 dages fravær holdes en "
      "sygefraværssamtale.", "Lederen tager kontakt senest efter en uge."]),
    ("Alkohol- og rusmiddelpolitik.docx", "Politikken skal forebygge misbrug og sikre, at "
     "ingen arbejder påvirket.",
     ["Der drikkes ikke alkohol i arbejdstiden.", "Ved receptioner kan lederen give lov til "
      "et glas vin.", "Kommunen tilbyder hjælp til behandling."]),
    ("Ligestillingspolitik.md", "Politikken skal sikre lige muligheder uanset køn, alder, "
     "etnicitet og handicap.",
     ["Stillinger opslås bredt.", "Ansættelsesudvalg er sammensat af begge køn.",
      "Løn fastsættes efter kompetencer og opgaver."]),
)

STAFF_POLICY_EN = [
    "# Purpose", "This is an English summary of the staff policy of Sundby Municipality for "
    "employees who do not yet read Danish.",
    "# Key points", "- Everyone is offered an annual performance review.",
    "- Sick leave must be reported before 8 am on the first day of absence.",
    "- Working from home is possible up to two days a week by agreement with your manager.",
    "- Smoking is not allowed during working hours.",
    "# Questions", "Please contact the HR department if you have questions about your contract, "
    "pay or holidays.",
]

COMPOUND = [
    "# Om målingen", f"Den store {c.COMPOUND_WORD} for 2025 blev besvaret af 1.412 ansatte. "
    "Svarprocenten var 81, den højeste nogensinde.",
    "# Resultater", "Arbejdsglæden ligger på 4,1 på en skala fra 1 til 5. Samarbejdet med "
    "kollegerne får den bedste vurdering, mens arbejdspresset får den laveste.",
    "# Opfølgning", "Hver arbejdsplads gennemgår sine resultater på et personalemøde og laver "
    f"tre indsatser. Næste {c.COMPOUND_WORD} gennemføres i efteråret 2027.",
]
SURVEY = [
    "# Baggrund", "Denne undersøgelse af arbejdsmiljøet i dagplejen blev gennemført i foråret "
    "2025 med besøg hos 42 dagplejere.",
    "# Metode", "Undersøgelsen bygger på interviews, observationer og et kort spørgeskema om "
    "løft, støj og alenearbejde.",
    "# Konklusion", "Resultatet viser, at de fysiske rammer generelt er gode, men at "
    "alenearbejdet er en belastning. Der oprettes netværksgrupper for dagplejerne.",
]
NEW_STARTER = [
    "# Før første dag", "- Bestil computer, telefon og adgangskort til den nye medarbejder.",
    "- Find en fast makker, som den nye medarbejder kan spørge om alt.",
    "# Første dag", "- Lederen tager imod den nye medarbejder og viser rundt.",
    "- Gennemgå arbejdsmiljø, brandveje og førstehjælp.",
    "# Første måned", "Hold en opfølgende samtale med den nye medarbejder efter fire uger.",
]
INTRODUCTION = [
    "# Velkommen", "Denne introduktion er for nye medarbejdere i Sundby Kommune. Den giver et "
    "overblik over organisationen, dine rettigheder og de vigtigste systemer.",
    "# Introduktionsdag", "Alle nye medarbejdere inviteres til en fælles introduktionsdag på "
    "rådhuset. Her møder du borgmesteren og kommunaldirektøren.",
    "# Systemer", "Nye medarbejdere får adgang til intranettet, Outlook, Teams og "
    "personaleportalen fra første dag.",
]
STAFF_FACTS = [
    "# Hvem er vi", "Medarbejderne i Sundby Kommune er 3.150 personer fordelt på skoler, "
    "dagtilbud, ældrepleje, teknik og administration.",
    "# Alder og anciennitet", "Gennemsnitsalderen er 46 år. Medarbejderne har i gennemsnit "
    "været ansat i 11 år.",
    "# Uddannelse", "Hver tredje har en mellemlang videregående uddannelse. Medarbejderne i "
    "ældreplejen er oftest social- og sundhedsassistenter eller -hjælpere.",
]


def build_hr_documents(s: Sample) -> None:
    """Upload the HR site's documents and set their special permissions."""
    for name, purpose, rules in POLICIES:
        put(s, c.HR_SITE, c.POLICIES, name, p.HR, policy(purpose, rules))
    put(s, c.HR_SITE, c.POLICIES, "Staff policy - English summary.docx", p.HR, STAFF_POLICY_EN)
    put(s, c.HR_SITE, c.POLICIES, c.DRAFT_DOCUMENT, p.HR, policy(
        "Udkast til en politik for kompetenceudvikling. Ikke godkendt.",
        ["Alle har ret til to kursusdage om året."]), days=4, publish=False)
    scores = [["Område", "Score 2023", "Score 2025"], ["Ældreplejen", 3.8, 4.0],
              ["Skoler", 3.9, 4.1], ["Teknik og miljø", 4.0, 4.2], ["Administration", 4.1, 4.2]]
    put(s, c.HR_SITE, c.DOCUMENTS, c.COMPOUND_DOCUMENT, p.HR, COMPOUND,
        table=[[str(v) for v in row] for row in scores])
    put(s, c.HR_SITE, c.DOCUMENTS, c.SURVEY_DOCUMENT, p.HR, SURVEY)
    put(s, c.HR_SITE, c.DOCUMENTS, c.INFLECTED_DOCUMENTS["medarbejder"], p.HR, NEW_STARTER)
    put(s, c.HR_SITE, c.DOCUMENTS, c.INFLECTED_DOCUMENTS["medarbejdere"], p.HR, INTRODUCTION)
    put(s, c.HR_SITE, c.DOCUMENTS, c.INFLECTED_DOCUMENTS["medarbejderne"], p.HR, STAFF_FACTS)
    for year, months in ((2025, (3, 6, 9, 11)), (2026, (1, 3))):
        for month in months:
            put(s, c.HR_SITE, c.DOCUMENTS,
                f"Referater/{year}/Referat HovedMED - {MONTHS[month - 1]} {year}.docx", p.HR,
                minutes("HovedMED", month, year, s.rng))
    put(s, c.HR_SITE, c.DOCUMENTS, "Onboarding checklist.md", p.HR, [
        "## Before the first day", "- Order a laptop and an access card.",
        "- Add the new colleague to the right Teams and mailing lists.",
        "## First week", "- Book the introduction day.", "- Agree on goals for the trial period."])
    put(s, c.HR_SITE, c.DOCUMENTS, "Ferieregler.html", p.HR, [
        "# Ferieåret", "Ferie optjenes og afholdes samtidig med 2,08 dage pr. måned.",
        "# Sommerferie", "Du har ret til tre ugers sammenhængende ferie i perioden 1. maj til "
        "30. september.", "# Femte ferieuge", "Den femte ferieuge kan udbetales eller "
        "overføres efter aftale."])
    put(s, c.HR_SITE, c.DOCUMENTS, "Skabelon - udviklingssamtale.docx", p.HR, [
        "# Forberedelse", "Tænk over det forløbne år: hvad er gået godt, og hvad vil du "
        "gerne lære?", "# Mål for det kommende år", "- Faglige mål", "- Personlige mål",
        "# Aftaler", "Skriv de aftalte kurser og mål ned, og gem skemaet i personalesagen."])
    put(s, c.HR_SITE, c.DOCUMENTS, "Kursuskatalog 2026.xlsx", p.HR, sheets={"Kurser": [
        ["Kursus", "Målgruppe", "Varighed", "Pris"],
        ["Konflikthåndtering", "Alle", "1 dag", 2400], ["Førstehjælp", "Alle", "1 dag", 1200],
        ["Digital dokumentation", "Ældreplejen", "2 dage", 3900],
        ["Ledelse i praksis", "Ledere", "4 dage", 16500]]})
    handbook = put(s, c.HR_SITE, c.DOCUMENTS, c.SHARED_WITH_EVERYONE, p.HR, [
        "# Om håndbogen", "Personalehåndbogen samler de regler, der gælder for alle ansatte.",
        "# Løn og pension", "Lønnen udbetales den sidste hverdag i måneden.",
        "# Ferie og fravær", "Ferie aftales med lederen. Sygdom meldes inden kl. 8.",
        "# Hjemmearbejde", "Op til to dage om ugen efter skriftlig aftale."])
    docs = s.library(c.HR_SITE, c.DOCUMENTS)
    editing.break_inheritance(s.tenant, s.site(c.HR_SITE), docs, handbook)
    editing.grant(s.tenant, s.site(c.HR_SITE), docs, handbook, s.login(EVERYONE), "Read")
    _management(s)
    _personnel_files(s)


def _management(s: Sample) -> None:
    """The Ledelsesinformation folder, which only managers (and the site owners) may open."""
    folder = "Ledelsesinformation"
    put(s, c.HR_SITE, c.DOCUMENTS, f"{folder}/Sygefravær pr. afdeling 2025.xlsx", p.HR,
        sheets={"Fravær": [["Afdeling", "Fraværsprocent", "Langtidssyge"],
                           ["Hjemmeplejen", 6.9, 14], ["Skoler", 4.2, 9],
                           ["Teknik", 3.8, 2], ["Administration", 3.1, 3]]})
    put(s, c.HR_SITE, c.DOCUMENTS, f"{folder}/Budgetopfølgning/Budgetopfølgning Q3 2025.xlsx",
        p.MANAGER, sheets={"Q3": [["Område", "Budget", "Forbrug", "Afvigelse"],
                                  ["Løn", 412_000_000, 305_000_000, -4_000_000],
                                  ["Drift", 96_500_000, 70_100_000, -2_275_000]]})
    put(s, c.HR_SITE, c.DOCUMENTS, f"{folder}/Lønstatistik 2025.csv", p.HR, rows=[
        ["Stillingsgruppe", "Antal", "Gennemsnitsløn"], ["Lærere", 412, 46_850],
        ["Social- og sundhedshjælpere", 380, 31_200], ["Ledere", 96, 61_400]])
    lst = s.library(c.HR_SITE, c.DOCUMENTS)
    s.restrict(c.HR_SITE, c.DOCUMENTS, lst.item_by_url(c.MANAGERS_FOLDER_PATH),
               {p.MANAGERS: "Read", "HR Owners": "Full Control"})


def _personnel_files(s: Sample) -> None:
    """The Personalesager library (Administration only) and the one-user salary agreement."""
    for name in ("Jens Møller", "Sofie Lund"):
        put(s, c.HR_SITE, c.PERSONNEL_FILES, f"Ansættelseskontrakter/Ansættelseskontrakt - "
            f"{name}.pdf", p.HR, [f"Ansættelseskontrakt mellem Sundby Kommune og {name}.",
                                  "# Løn", "Lønnen fastsættes efter gældende overenskomst.",
                                  "# Opsigelse", "Opsigelse sker efter funktionærloven."])
    put(s, c.HR_SITE, c.PERSONNEL_FILES, "Lønaftaler/Lønaftale - Anders Kristensen.docx", p.HR,
        ["Aftale om funktionstillæg for arbejde som matematikvejleder.",
         "Tillægget udgør 12.000 kr. årligt."])
    secret = put(s, c.HR_SITE, c.PERSONNEL_FILES, f"Lønaftaler/{c.SECRET_FILE}", p.HR, [
        "Aftale om kvalifikationstillæg mellem Sundby Kommune og Birgitte Sørensen.",
        f"Tillægget hører under ordningen {c.SECRET_WORD} og udgør 18.500 kr. årligt.",
        "Aftalen er fortrolig og må ikke deles."])
    s.restrict(c.HR_SITE, c.PERSONNEL_FILES, secret, {c.SECRET_USER: "Read"})
    put(s, c.HR_SITE, c.PERSONNEL_FILES, "Sygesamtaler/Notat om sygefraværssamtale.docx",
        p.HR, ["Samtalen blev holdt efter 14 dages fravær.",
               "Der er aftalt delvis raskmelding med 20 timer om ugen."])
    put(s, c.HR_SITE, c.PERSONNEL_FILES, "Fraværsoversigt 2025.xlsx", p.HR,
        sheets={"Fravær": [["Navn", "Sygedage", "Barns sygedag"], ["Jens Møller", 4, 0],
                           ["Sofie Lund", 2, 3], ["Anders Kristensen", 7, 1]]})
