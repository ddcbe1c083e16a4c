"""Building blocks for the sample's documents: policies, minutes and guides in Danish."""

from __future__ import annotations

import random

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")

AGENDA = (
    ("Budgetopfølgning", "Økonomien følger budgettet. Der er et mindre forbrug på vikarer end "
     "forventet, som overføres til næste år."),
    ("Sygefravær", "Sygefraværet er faldet til 4,8 procent. Lederne fortsætter med tidlige "
     "samtaler ved gentaget fravær."),
    ("Arbejdsmiljø", "Arbejdsmiljørepræsentanterne orienterede om støj i kantinen og på "
     "skolernes gange. Der indhentes tilbud på lyddæmpning."),
    ("Rekruttering", "Det er fortsat svært at rekruttere social- og sundhedsassistenter. HR "
     "undersøger muligheden for flere elevpladser."),
    ("Kompetenceudvikling", "Der er afsat midler til kurser i digital dokumentation og "
     "konflikthåndtering i det kommende halvår."),
    ("Hjemmearbejde", "Erfaringerne med den nye ordning er gode. Ordningen evalueres efter et år."),
    ("Orientering fra direktionen", "Direktionen orienterede om budgetforhandlingerne og om "
     "arbejdet med den nye klimaplan."),
    ("Eventuelt", "Næste møde holdes i mødelokale 2 på rådhuset."),
)

PEOPLE_AT_MEETINGS = ("Lone Aagaard", "Camilla Nørgaard", "Henrik Vestergaard", "Karen Skov",
                      "Niels Bech", "Hanne Thomsen", "Rasmus Dahl", "Søren Østergaard")


def policy(purpose: str, rules: list[str], owner: str = "HR") -> list[str]:
    """A municipal policy: purpose, scope, rules, responsibility and when it takes effect."""
    return [
        "# Formål", purpose,
        "# Hvem gælder politikken for",
        "Politikken gælder for alle ansatte i Sundby Kommune, uanset stilling og "
        "ansættelsesform. Lederne sørger for, at politikken er kendt på arbejdspladsen.",
        "# Retningslinjer", *[f"- {rule}" for rule in rules],
        "# Ansvar og opfølgning",
        f"{owner} følger op på politikken hvert andet år sammen med HovedMED. Spørgsmål kan "
        "rettes til nærmeste leder eller til HR.",
        "# Ikrafttræden",
        "Politikken er godkendt i HovedMED og gælder fra den 1. januar 2025.",
    ]


def minutes(committee: str, month: int, year: int, rng: random.Random) -> list[str]:
    """Minutes of a meeting with a few agenda items drawn from a common pool."""
    attendees = rng.sample(PEOPLE_AT_MEETINGS, 5)
    items = rng.sample(AGENDA[:-1], 3) + [AGENDA[-1]]
    blocks = [f"Mødet i {committee} blev holdt den {rng.randint(2, 27)}. {MONTHS[month - 1]} "
              f"{year} kl. 13.00 på rådhuset.",
              "# Deltagere", ", ".join(attendees) + ".",
              "# Dagsorden"]
    for number, (heading, text) in enumerate(items, start=1):
        blocks += [f"## {number}. {heading}", text]
    blocks += ["# Godkendelse", f"Referatet er godkendt af {attendees[0]}."]
    return blocks


def guide(purpose: str, steps: list[str], contact: str = "IT-support på telefon 4000 1234"
          ) -> list[str]:
    """A step-by-step guide with whom to contact when it does not work."""
    return ["# Hvad kan du bruge vejledningen til", purpose, "# Sådan gør du",
            *[f"- Trin {n}: {step}" for n, step in enumerate(steps, start=1)],
            "# Hvis det ikke virker", f"Kontakt {contact}. Oplys dit brugernavn og "
            "hvilken computer eller telefon, du bruger."]


def timetable(class_name: str, rng: random.Random) -> list[list[str]]:
    """A week's timetable for one school class: a header row and one row per lesson."""
    subjects = ["Dansk", "Matematik", "Engelsk", "Tysk", "Historie", "Natur/teknologi",
                "Idræt", "Musik", "Billedkunst", "Kristendomskundskab", "Samfundsfag"]
    times = ("08.00-08.45", "08.45-09.30", "10.00-10.45", "10.45-11.30", "12.00-12.45",
             "12.45-13.30")
    rows = [[f"Skema {class_name}", "Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag"]]
    rows += [[t] + [rng.choice(subjects) for _ in range(5)] for t in times]
    return rows
