"""The intranet's shared documents: organisation, council papers, care guides and two traps."""

from __future__ import annotations

from emulator.sample import catalogue as c
from emulator.sample import files
from emulator.sample import people as p
from emulator.sample.context import Sample
from emulator.sample.documents import put, upload
from emulator.sample.prose import MONTHS

COUNCIL_ITEMS = ("Godkendelse af dagsorden", "Budgetopfølgning", "Lokalplan for Havnekvarteret",
                 "Takster for hjemmeplejen", "Udbud af skolekørsel", "Klimaplan - status",
                 "Høring om skolestruktur", "Lukket punkt: ejendomssalg")


def build_intranet_documents(s: Sample) -> None:
    """Upload the intranet's documents, including the corrupt and the empty file."""
    put(s, c.INTRANET, c.DOCUMENTS, "Organisation/Organisationsdiagram.pptx", p.EDITOR, slides=[
        ("Direktionen", ["Kommunaldirektør Henrik Vestergaard", "Direktør for børn og unge",
                         "Direktør for sundhed og omsorg", "Direktør for teknik og miljø"]),
        ("Stabene", ["HR og løn", "Økonomi", "IT og digitalisering", "Kommunikation"])])
    put(s, c.INTRANET, c.DOCUMENTS, "Organisation/Telefonliste.csv", p.EDITOR, rows=[
        ["Navn", "Titel", "Telefon", "Mail"],
        *[[name, title, f"4000 {1000 + n * 37}", upn]
          for n, (upn, (name, title, _)) in enumerate(p.PEOPLE.items())]])
    budget = {"Hovedoversigt": [["Område", "Budget 2025", "Budget 2026"],
                                ["Ældre og sundhed", 1_210_500_000, 1_262_000_000],
                                ["Børn og skole", 1_050_200_000, 1_071_900_000],
                                ["Teknik og miljø", 310_400_000, 318_000_000],
                                ["Administration", 402_000_000, 398_500_000]]}
    put(s, c.INTRANET, c.DOCUMENTS, "Økonomi/Budget 2026 - hovedoversigt.xlsx", p.MANAGER,
        sheets=budget)
    broken = files.truncated(files.make_xlsx("Budget 2025", budget, "Lone Aagaard"))
    upload(s, c.INTRANET, c.DOCUMENTS, f"Økonomi/{c.CORRUPT_FILE}", broken, p.MANAGER)
    upload(s, c.INTRANET, c.DOCUMENTS, c.EMPTY_FILE, b"", p.EDITOR)
    for year, months in ((2025, (4, 6, 9, 10)), (2026, (1, 2))):
        for month in months:
            items = s.rng.sample(COUNCIL_ITEMS[1:], 4)
            put(s, c.INTRANET, c.DOCUMENTS,
                f"Byråd/{year}/Dagsorden byrådsmøde {MONTHS[month - 1]} {year}.pdf", p.EDITOR,
                [f"Byrådet holder møde i byrådssalen på rådhuset i {MONTHS[month - 1]} {year}."
                 " Mødet er offentligt.", "# Dagsorden", f"- 1. {COUNCIL_ITEMS[0]}",
                 *[f"- {n}. {item}" for n, item in enumerate(items, start=2)]])
    _care(s)
    put(s, c.INTRANET, c.DOCUMENTS, "Kantinens menuplan uge 47.txt", p.EDITOR, [
        "Mandag: Kylling i karry med ris", "Tirsdag: Grøntsagslasagne",
        "Onsdag: Stegt flæsk med persillesovs", "Torsdag: Fiskefrikadeller med remoulade",
        "Fredag: Tærte med salat"])
    put(s, c.INTRANET, c.DOCUMENTS, "Parking at the town hall.html", p.TECHNICIAN, [
        "# Staff parking", "Staff park behind the library. A permit from the service desk is "
        "required.", "# Visitors", "Visitors may park in front of the town hall for up to two "
        "hours."])
    put(s, c.INTRANET, c.DOCUMENTS, "Welcome guide for international staff.pdf", p.HR, [
        "# Your first weeks", "You will get a Danish personal number (CPR) and a health "
        "insurance card. Your salary is paid into a Danish bank account.",
        "# Holidays", "Staff have five weeks of paid holiday a year.",
        "# Learning Danish", "The municipality pays for Danish lessons at the language school."])
    put(s, c.INTRANET, c.DOCUMENTS, "Mødelokaler på rådhuset.md", p.EDITOR, [
        "## Byrådssalen", "80 pladser, projektor og mødeudstyr til hybride møder.",
        "## Mødelokale 1 og 2", "12 pladser hver, skærm og videokamera.",
        "## Booking", "Lokalerne bookes i Outlook."])


def _care(s: Sample) -> None:
    folder = "Sundhed og omsorg"
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/Hygiejnevejledning hjemmeplejen.pdf",
        p.CARE_WORKER, ["# Håndhygiejne", "Vask eller sprit hænderne før og efter hvert "
                        "besøg hos en borger.", "# Handsker", "Brug handsker ved kontakt med "
                        "blod, urin og sår.", "# Arbejdstøj", "Arbejdstøjet skiftes dagligt."])
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/Vagtplan hjemmeplejen uge 10-13.xlsx",
        p.CARE_WORKER, sheets={"Vagter": [["Uge", "Dagvagt", "Aftenvagt", "Nattevagt"],
                                          *[[week, "Birgitte Sørensen", "Hanne Thomsen",
                                             "Ali Yilmaz"] for week in range(10, 14)]]})
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/Medicinhåndtering - arbejdsgange.docx",
        p.CARE_WORKER, ["# Dosering", "Medicin doseres af sygeplejersken og gives af "
                        "social- og sundhedshjælperen efter medicinlisten.",
                        "# Dokumentation", "Hver udlevering dokumenteres i omsorgssystemet.",
                        "# Fejl", "Fejl meldes som utilsigtet hændelse samme dag."])
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/{c.SATISFACTION_DOCUMENT}", p.MANAGER, [
        "# Resultat", "Borgernes tilfredshed med hjemmeplejen er steget fra 82 til 88 procent.",
        "# Hvad er borgerne glade for", "Venlige og kompetente hjælpere og faste tider.",
        "# Hvad kan blive bedre", "Færre forskellige hjælpere hos den samme borger. "
        "Tilfredshed med rengøringen er lavere end med den personlige pleje."])
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/Kørselsliste distrikt Nord.csv", p.CARE_WORKER,
        rows=[["Tid", "Borger", "Adresse", "Ydelse"],
              ["07:30", "Borger A", "Skovvej 12", "Morgenhjælp"],
              ["08:15", "Borger B", "Ågade 3", "Medicin"],
              ["09:00", "Borger C", "Østre Allé 41", "Bad"]])
    put(s, c.INTRANET, c.DOCUMENTS, f"{folder}/Faldforebyggelse.md", p.CARE_WORKER, [
        "## Risiko", "Ældre, der tager mange slags medicin, falder oftere.",
        "## Gode råd", "- Fjern løse tæpper.", "- Sørg for godt lys om natten.",
        "- Tilbyd træning hos kommunens fysioterapeuter."])
