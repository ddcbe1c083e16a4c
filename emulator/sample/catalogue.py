"""Names and facts of the sample tenant that tests rely on."""

from __future__ import annotations

from emulator.sample import people

# Sites and libraries
INTRANET = "/sites/intranet"
HR_SITE = "/sites/hr"
SCHOOLS = "/sites/skoler"
IT_SITE = "/sites/it"
SITE_URLS = (INTRANET, HR_SITE, SCHOOLS, IT_SITE)
DOCUMENTS = "Dokumenter"  # Shared Documents, in every site
SITE_PAGES = "Webstedssider"
SITE_ASSETS = "Webstedsaktiver"
POLICIES = "Politikker"  # HR, minor versions on
PERSONNEL_FILES = "Personalesager"  # HR, only Administration (and the HR owner)
TEACHING = "Undervisning"  # Skoler
GUIDES = "Vejledninger"  # IT

# A document only one user may see, holding a word that occurs nowhere else
SECRET_WORD = "Kvartsblomst"
SECRET_USER = people.CARE_WORKER
SECRET_FILE = "Lønaftale - Birgitte Sørensen.docx"
SECRET_PATH = f"{HR_SITE}/Personalesager/Lønaftaler/{SECRET_FILE}"

# A document shared with "Everyone except external users" inside the HR site
SHARED_WITH_EVERYONE = "Personalehåndbog 2026.pdf"
SHARED_WITH_EVERYONE_PATH = f"{HR_SITE}/Shared Documents/{SHARED_WITH_EVERYONE}"

# Folders with their own permissions (only Ledere, plus the site owners)
MANAGERS_FOLDER_PATH = f"{HR_SITE}/Shared Documents/Ledelsesinformation"
SCHOOL_MANAGERS_FOLDER_PATH = f"{SCHOOLS}/Shared Documents/Ledelse"

# News and pages (all on the intranet)
NEWS_WITH_DRAFT_TITLE = "Nye regler for ferieplanlægning"  # published 1.0, newer draft 1.1
DRAFT_ONLY_TITLE = "Nye regler for ferieplanlægning og afspadsering"  # the draft's title
DRAFT_WORD = "KLADDEHEMMELIGHED"  # only in that unpublished draft
NEVER_PUBLISHED_TITLE = "Julefrokost 2026 - program"  # a 0.1 news page, never published
NEVER_PUBLISHED_WORD = "ALDRIGUDGIVET"
PAGE_TITLE = "Om intranettet"  # a published page that is not news
TEACHERS_NEWS_TITLE = "Pædagogisk dag for alle lærere"  # audience: Lærere
MANAGERS_NEWS_TITLE = "Ny budgetmodel for institutionerne"  # audience: Ledere
ADMINISTRATION_NEWS_TITLE = "Ny frist for lønindberetning"  # audience and permission
ADMINISTRATION_NEWS_WORD = "Lønindberetningsfrist"
HOSTILE_NEWS_TITLE = "Invitation til fyraftensmøde"  # script, onerror, javascript: link
BANNER_ALT_TITLE = "Ny legeplads ved Sundby Skole"
BANNER_ALT_TEXT = "Børn leger i klatrestativet på den nye legeplads ved Sundby Skole"
IMAGE_WEB_PART_TITLE = "Hjemmeplejen kører nu i elbiler"
IMAGE_WEB_PART_URL = f"{INTRANET}/SiteAssets/SitePages/elbiler-hjemmeplejen/elbil.jpg"
IMAGE_WEB_PART_CAPTION = "En af de nye elbiler ved ladestanderen på plejecentret Solgården"

# Documents that test extraction and language handling
CORRUPT_FILE = "budget-2025.xlsx"  # a truncated zip
EMPTY_FILE = "Tom skabelon.docx"  # 0 bytes
DRAFT_DOCUMENT = "Udkast - Politik for kompetenceudvikling.docx"  # 0.1 in HR Politikker
COMPOUND_WORD = "medarbejdertilfredshedsundersøgelse"
COMPOUND_DOCUMENT = "Medarbejdertilfredshedsundersøgelse 2025.docx"
SATISFACTION_DOCUMENT = "Borgernes tilfredshed med hjemmeplejen 2025.pdf"  # "tilfredshed"
SURVEY_DOCUMENT = "Undersøgelse af arbejdsmiljøet i dagplejen.docx"  # "undersøgelse"
INFLECTED_DOCUMENTS = {  # each holds one form of "medarbejder" and none of the others
    "medarbejder": "Tjekliste til den nye medarbejder.docx",
    "medarbejdere": "Introduktion for nye medarbejdere.pdf",
    "medarbejderne": "Medarbejderne i Sundby - fakta.md",
}
LARGE_FILES = ("Netværksdiagram rådhuset.pdf", "Skolefoto 2025.pptx")  # several MB each
