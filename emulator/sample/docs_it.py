"""The IT site's documents: guides, the security policy, inventories and a large PDF."""

from __future__ import annotations

import itertools

from emulator.sample import catalogue as c
from emulator.sample import images
from emulator.sample import people as p
from emulator.sample.context import Sample
from emulator.sample.documents import put
from emulator.sample.prose import guide, policy

GUIDES = (
    ("Microsoft 365/Sådan nulstiller du din adgangskode.md",
     "Vejledningen viser, hvordan du selv nulstiller din adgangskode, hvis du har glemt den.",
     ["Gå til siden for nulstilling af adgangskode.", "Skriv din arbejdsmail.",
      "Bekræft med koden fra Microsoft Authenticator.", "Vælg en ny adgangskode på mindst "
      "14 tegn."]),
    ("Microsoft 365/OneDrive - synkronisering.docx",
     "Sådan synkroniserer du et dokumentbibliotek fra SharePoint til din computer.",
     ["Åbn biblioteket i browseren.", "Klik på Synkroniser.", "Tillad at OneDrive åbner.",
      "Find filerne i Stifinder under Sundby Kommune."]),
    ("Sikkerhed/Opsætning af MFA.pdf",
     "Alle ansatte skal bruge totrinsbekræftelse (MFA), når de logger på Microsoft 365.",
     ["Installer Microsoft Authenticator på din telefon.", "Log på portalen for "
      "sikkerhedsoplysninger.", "Scan QR-koden med appen.", "Godkend testbeskeden."]),
    ("Ny computer - tjekliste.docx",
     "Tjeklisten hjælper dig, når du får udleveret en ny computer.",
     ["Log på med dit brugernavn og din adgangskode.", "Vent til Intune har installeret "
      "programmerne.", "Tilføj printeren på din afdeling.", "Aflever den gamle computer til IT."]),
)
MODELS = (("Bærbar", "Lenovo T14"), ("Skærm", "Dell P2422H"), ("Printer", "Konica C300i"),
          ("Telefon", "iPhone 14"))
PLACES = ("Rådhuset", "Sundby Skole", "Solgården", "Nørreby Skole", "Materielgården")


def build_it_documents(s: Sample) -> None:
    """Upload the IT site's documents and set their special permissions."""
    for path, purpose, steps in GUIDES:
        put(s, c.IT_SITE, c.GUIDES, path, p.IT_ADMIN, guide(purpose, steps))
    put(s, c.IT_SITE, c.GUIDES, "Microsoft 365/Teams/Teams - kom godt i gang.pptx", p.IT_ADMIN,
        slides=[("Chat og kanaler", ["Brug chat til korte beskeder",
                                     "Brug kanaler til fælles opgaver"]),
                ("Møder", ["Planlæg møder fra Outlook", "Del skærm og optag"]),
                ("Filer", ["Filer i en kanal ligger i SharePoint", "Del links, ikke kopier"])])
    put(s, c.IT_SITE, c.GUIDES, "Microsoft 365/Outlook-signatur.html", p.EDITOR, [
        "# Fælles signatur", "Alle bruger den samme signatur med navn, titel, afdeling og "
        "telefonnummer.", "# Eksempel", "Med venlig hilsen, Sofie Lund, "
        "kommunikationsmedarbejder, Borgmesterens afdeling, telefon 4000 2000"])
    put(s, c.IT_SITE, c.GUIDES, "Sikkerhed/Phishing - sådan genkender du det.docx",
        p.IT_ADMIN, ["# Kendetegn", "- Afsenderen ligner en kendt virksomhed, men adressen "
                     "er forkert.", "- Mailen kræver hurtig handling.",
                     "- Linket peger på en ukendt side.", "# Hvad gør du",
                     "Klik på knappen Rapportér i Outlook og slet mailen."])
    put(s, c.IT_SITE, c.GUIDES, "Sikkerhed/VPN guide.md", p.IT_ADMIN, [
        "## When do you need VPN", "You need VPN to reach the case management system and "
        "the network drives when you work from home.", "## How to connect",
        "- Open the Global Protect client.", "- Enter vpn.sundby.dk as portal.",
        "- Approve the sign-in in Microsoft Authenticator."])
    put(s, c.IT_SITE, c.GUIDES, "Printere/Printeropsætning på rådhuset.html", p.TECHNICIAN, [
        "# Follow-me print", "Du kan printe til køen Sundby-Print og hente udskriften på "
        "enhver printer med dit adgangskort.", "# Farveprint", "Farveprint kræver "
        "godkendelse fra din leder."])
    put(s, c.IT_SITE, c.GUIDES, "Printere/Printer troubleshooting.txt", p.TECHNICIAN, [
        "If the printer does not print:", "- Check that your card is registered.",
        "- Restart the print client.", "- Call the service desk on 4000 1234."])
    put(s, c.IT_SITE, c.DOCUMENTS, "IT-sikkerhedspolitik.pdf", p.IT_ADMIN, policy(
        "Politikken skal beskytte borgernes og de ansattes data "
        "mod tab, misbrug og hackerangreb.",
        ["Adgangskoder deles aldrig.", "Totrinsbekræftelse er påkrævet.",
         "Private USB-nøgler må ikke bruges.", "Sikkerhedshændelser meldes straks til IT."],
        owner="IT-afdelingen"))
    inventory = [["Udstyr", "Model", "Placering", "Serienummer", "Indkøbt"]] + [
        [kind, model, place, f"SN-{s.rng.randrange(10**8):08d}", f"202{n % 5}-0{n % 9 + 1}-15"]
        for n, ((kind, model), place) in enumerate(itertools.product(MODELS, PLACES))]
    put(s, c.IT_SITE, c.DOCUMENTS, "Udstyrsoversigt 2025.xlsx", p.TECHNICIAN,
        sheets={"Udstyr": inventory})
    put(s, c.IT_SITE, c.DOCUMENTS, "Licensoversigt.csv", p.IT_ADMIN, rows=[
        ["Produkt", "Antal", "Pris pr. år", "Udløber"], ["Microsoft 365 E3", 2900, 2_610_000,
                                                          "2026-06-30"],
        ["Microsoft 365 F3", 1100, 316_800, "2026-06-30"], ["Adobe Acrobat", 140, 252_000,
                                                              "2026-01-31"]])
    put(s, c.IT_SITE, c.DOCUMENTS, "Driftslog november 2025.txt", p.TECHNICIAN, [
        "03-11 06:10 Planlagt genstart af filservere gennemført.",
        "12-11 14:32 Ustabilt netværk på Solgården. Switch udskiftet.",
        "19-11 09:05 Fejl i lønsystemets integration. Leverandøren har rettet fejlen.",
        "27-11 22:00 Servicevindue: opdatering af firewall."])
    put(s, c.IT_SITE, c.DOCUMENTS, "Servicevinduer 2026.csv", p.IT_ADMIN, rows=[
        ["Dato", "Tidsrum", "System"], ["2026-01-14", "22:00-02:00", "Firewall"],
        ["2026-02-11", "22:00-01:00", "Fagsystemer"], ["2026-03-11", "22:00-02:00", "Netværk"]])
    put(s, c.IT_SITE, c.DOCUMENTS, "Incident report - ransomware exercise.docx", p.IT_ADMIN, [
        "# Summary", "On 14 October the IT department ran a ransomware exercise with the "
        "emergency management team.", "# Findings", "- Backups were restored within six "
        "hours.", "- The contact list for suppliers was out of date.",
        "# Actions", "Update the contingency plan and repeat the exercise next year."])
    photos = [images.photo(seed, 1600, 1200) for seed in (21, 22)]
    put(s, c.IT_SITE, c.DOCUMENTS, c.LARGE_FILES[0], p.TECHNICIAN, [
        "# Netværket på rådhuset", "Diagrammet viser kernenetværket, de trådløse "
        "adgangspunkter og forbindelserne til skolerne.", "# Fotos", "Billederne viser "
        "serverrummet og krydsfeltet i kælderen."], pictures=photos)
    admins = put(s, c.IT_SITE, c.DOCUMENTS, "Administratoradgange.xlsx", p.IT_ADMIN, sheets={
        "Adgange": [["System", "Administrator", "Type"], ["Microsoft 365", "Rasmus Dahl",
                                                           "Global administrator"],
                    ["Firewall", "Rasmus Dahl", "Fuld adgang"]]})
    s.restrict(c.IT_SITE, c.DOCUMENTS, admins, {p.IT: "Edit", "IT Owners": "Full Control"})
