"""The schools site's documents: year plans, timetables, teaching material and school admin."""

from __future__ import annotations

from emulator import editing
from emulator.sample import catalogue as c
from emulator.sample import images
from emulator.sample import people as p
from emulator.sample.context import Sample
from emulator.sample.documents import put
from emulator.sample.prose import timetable

WEEKS = (34, 40, 46, 4, 10)
YEAR_PLAN = {
    "dansk": ["Læsning af noveller og digte", "Argumenterende tekster", "Grammatik: ordklasser",
              "Mediefag: nyheder og kildekritik", "Projekt: vi skriver en avis"],
    "matematik": ["Brøker og procent", "Geometri: areal og rumfang", "Ligninger",
                  "Statistik og sandsynlighed", "Problemløsning med regneark"],
}
READING_LIST_EN = [
    "# Reading list for year 8", "The pupils read one novel and two short stories each term.",
    "- Holes by Louis Sachar", "- Wonder by R. J. Palacio", "- The Boy in the Striped Pyjamas",
    "# Assessment", "Each pupil gives a short oral presentation of a book in English.",
]


def build_school_documents(s: Sample) -> None:
    """Upload the Skoler site's documents and set their special permissions."""
    for subject, grade in (("dansk", 7), ("matematik", 7), ("matematik", 8)):
        folder = "Dansk" if subject == "dansk" else f"Matematik/{grade}. klasse"
        put(s, c.SCHOOLS, c.TEACHING, f"{folder}/Årsplan {subject} {grade}. klasse.docx",
            p.TEACHER, [f"Årsplanen beskriver forløbene i {subject} for {grade}. klasse i "
                        "skoleåret 2025-2026.", "# Forløb",
                        *[f"- Uge {week}: {topic}"
                          for week, topic in zip(WEEKS, YEAR_PLAN[subject], strict=True)],
                        "# Evaluering", "Eleverne evalueres løbende med tests og "
                        "elevsamtaler. Forældrene orienteres i Aula."])
    put(s, c.SCHOOLS, c.TEACHING, "Dansk/Læseliste udskoling.md", p.TEACHER, [
        "## 7. klasse", "- Cecil Bødker: Silas og den sorte hoppe", "- Bjarne Reuter: Zappa",
        "## 8. klasse", "- Kim Fupz Aakeson: noveller", "- H.C. Andersen: Skyggen",
        "## 9. klasse", "- Tove Ditlevsen: Barndommens gade", "- Jakob Ejersbo: Nordkraft"])
    put(s, c.SCHOOLS, c.TEACHING, "Dansk/Grammatik - ordklasser.pptx", p.TEACHER_2, slides=[
        ("Navneord", ["Betegner ting, personer og begreber", "Eksempler: skole, lærer, glæde"]),
        ("Udsagnsord", ["Fortæller hvad nogen gør", "Eksempler: løbe, læse, tænke"]),
        ("Tillægsord", ["Beskriver navneord", "Eksempler: grøn, hurtig, dejlig"])])
    put(s, c.SCHOOLS, c.TEACHING, "Matematik/7. klasse/Brøker - opgaver.pdf", p.TEACHER_2, [
        "# Opgave 1", "Forkort brøkerne 4/8, 6/9 og 12/16.", "# Opgave 2",
        "Læg brøkerne 1/3 og 1/4 sammen, og forklar hvorfor fællesnævneren er 12.",
        "# Opgave 3", "En pizza deles i 8 stykker. Ida spiser 3 og Omar 2. Hvor stor en brøkdel "
        "er tilbage?"])
    put(s, c.SCHOOLS, c.TEACHING, "Matematik/8. klasse/Ligninger - introduktion.pptx",
        p.TEACHER_2, slides=[
            ("Hvad er en ligning", ["To udtryk med et lighedstegn", "x + 4 = 10"]),
            ("Løsning", ["Gør det samme på begge sider", "x = 6"])])
    put(s, c.SCHOOLS, c.TEACHING, "Matematik/8. klasse/Karakterark matematik 8.B.xlsx",
        p.TEACHER_2, sheets={"8.B": [["Elev", "Test 1", "Test 2", "Standpunkt"],
                                     *[[f"Elev {n:02d}", 4 + n % 8, 2 + n % 10, 7]
                                       for n in range(1, 23)]]})
    put(s, c.SCHOOLS, c.TEACHING, "Engelsk/English reading list year 8.docx", p.TEACHER,
        READING_LIST_EN)
    put(s, c.SCHOOLS, c.TEACHING, "Engelsk/Lesson plan - Climate change.pptx", p.TEACHER,
        slides=[("Aims", ["Understand the greenhouse effect", "Discuss solutions in English"]),
                ("Activities", ["Watch a short video", "Group work: posters",
                                "Debate: should cars be banned in cities?"])])
    put(s, c.SCHOOLS, c.TEACHING, "Engelsk/Vocabulary test week 12.txt", p.TEACHER, [
        "Translate the words into Danish:", "- weather", "- pollution", "- renewable energy",
        "- neighbourhood", "- environment"])
    put(s, c.SCHOOLS, c.TEACHING, "Natur og teknologi/Forsøg med vand.md", p.TEACHER_2, [
        "## Materialer", "- Bægerglas", "- Termometer", "- Salt",
        "## Fremgangsmåde", "Mål temperaturen på isvand med og uden salt hvert minut i ti "
        "minutter.", "## Spørgsmål", "Hvorfor smelter isen hurtigere, når der er salt i?"])
    put(s, c.SCHOOLS, c.TEACHING, "Natur og teknologi/Sikkerhed i faglokalet.pdf", p.MANAGER, [
        "# Regler", "- Brug sikkerhedsbriller ved alle forsøg med varme og kemikalier.",
        "- Langt hår skal sættes op.", "- Spild tørres op med det samme.",
        "# Ved uheld", "Skyl øjne med øjenskyller i mindst 15 minutter og kontakt en voksen."])
    for class_name in ("7.A", "7.B", "8.A", "8.B", "9.A", "9.B"):
        extension = "csv" if class_name.startswith("9") else "xlsx"
        rows = timetable(class_name, s.rng)
        put(s, c.SCHOOLS, c.TEACHING, f"Skemaer/Skema {class_name}.{extension}", p.MANAGER,
            sheets={class_name: rows}, rows=rows)
    exams = put(s, c.SCHOOLS, c.TEACHING, "Prøver/Prøveopgaver 9. klasse 2026.pdf", p.TEACHER, [
        "# Skriftlig fremstilling", "Skriv en kronik om unges brug af sociale medier.",
        "# Matematik", "Beregn rumfanget af en cylinder med radius 4 cm og højde 10 cm."])
    site, lst = s.site(c.SCHOOLS), s.library(c.SCHOOLS, c.TEACHING)
    editing.break_inheritance(s.tenant, site, lst, exams)
    editing.revoke(s.tenant, site, lst, exams, s.login("Skoler Visitors"))
    _school_office(s)


def _school_office(s: Sample) -> None:
    put(s, c.SCHOOLS, c.DOCUMENTS, "Skolekalender 2025-2026.pdf", p.MANAGER, [
        "# Ferier", "- Efterårsferie: uge 42", "- Juleferie: 20. december til 4. januar",
        "- Vinterferie: uge 7", "- Påskeferie: 28. marts til 6. april",
        "# Pædagogiske dage", "Eleverne har fri fredag i uge 43 og mandag i uge 33."])
    put(s, c.SCHOOLS, c.DOCUMENTS, "Ferieplan 2026.html", p.MANAGER, [
        "# Sommerferie", "Sidste skoledag er fredag den 26. juni 2026.",
        "# Skolestart", "Første skoledag efter sommerferien er mandag den 10. august 2026."])
    put(s, c.SCHOOLS, c.DOCUMENTS, "Referat forældremøde 7.A.docx", p.TEACHER, [
        "# Deltagere", "Forældre til 17 af 24 elever, klasselærer Mette Hansen.",
        "# Trivsel", "Klassen har det godt, men der er uro i frikvartererne. Lærerne indfører "
        "faste legegrupper.", "# Lejrskole", "Forældrene støtter en lejrskole i 8. klasse."])
    put(s, c.SCHOOLS, c.DOCUMENTS, "Elevrådets vedtægter.md", p.TEACHER_2, [
        "## Formål", "Elevrådet varetager elevernes interesser over for skolens ledelse.",
        "## Valg", "Hver klasse fra 4. klassetrin vælger to repræsentanter i september.",
        "## Møder", "Elevrådet holder møde den første tirsdag i måneden."])
    put(s, c.SCHOOLS, c.DOCUMENTS, "Trivselsmåling elever 2025.xlsx", p.MANAGER, sheets={
        "Resultater": [["Klassetrin", "Faglig trivsel", "Social trivsel", "Ro og orden"],
                       ["4.-6.", 3.9, 4.1, 3.4], ["7.-9.", 3.6, 3.9, 3.2]]})
    photos = [images.photo(seed, 1600, 1200) for seed in (11, 12)]
    put(s, c.SCHOOLS, c.DOCUMENTS, c.LARGE_FILES[1], p.TEACHER_2, slides=[
        ("Skolefoto 2025", ["Billeder fra fotodagen", "Bestil billeder via Aula"])],
        pictures=photos)
    put(s, c.SCHOOLS, c.DOCUMENTS, "Ledelse/Ressourcetildeling 2026.xlsx", p.MANAGER, sheets={
        "Timer": [["Skole", "Elever", "Lærertimer", "Pædagogtimer"],
                  ["Sundby Skole", 612, 41_300, 9_800], ["Nørreby Skole", 388, 27_100, 6_200]]})
    put(s, c.SCHOOLS, c.DOCUMENTS, "Ledelse/Forberedelse af lønforhandling 2026.docx",
        p.MANAGER, ["# Ønsker fra lærerne", "Tillæg for vejlederfunktioner og for "
                    "praktikvejledning.", "# Ledelsens prioriteter",
                    "Fastholdelse af erfarne lærere i udskolingen."])
    lst = s.library(c.SCHOOLS, c.DOCUMENTS)
    s.restrict(c.SCHOOLS, c.DOCUMENTS, lst.item_by_url(c.SCHOOL_MANAGERS_FOLDER_PATH),
               {p.MANAGERS: "Read", "Skoler Owners": "Full Control"})
