"""News and pages in Site Pages: ordinary posts, targeted and restricted posts, drafts and traps."""

from __future__ import annotations

import html

from emulator import editing
from emulator.sample import canvas, images
from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.sample.context import Sample
from emulator.sample.news_posts import ENGLISH, INTRANET_POSTS, OTHER_POSTS, Post
from emulator.tenant import ListItem

HOSTILE_HTML = (
    "<p>Kom til fyraftensmøde om det nye intranet torsdag kl. 15.30 i kantinen.</p>"
    "<script>alert('xss')</script>"
    '<p onclick="steal()">Der bliver serveret kaffe og kage.</p>'
    '<img src="x" onerror="alert(document.cookie)">'
    '<p><a href="javascript:alert(1)">Tilmeld dig her</a></p>'
    '<iframe src="https://evil.example/"></iframe>')


def build_news(s: Sample) -> None:
    """Create all news posts and pages of the sample."""
    for index, post in enumerate(INTRANET_POSTS):
        days = s.rng.uniform(1, 120)
        alt = c.BANNER_ALT_TEXT if post[2] == c.BANNER_ALT_TITLE else ""
        extra = [_photo_part(s, post, days)] if post[2] == c.IMAGE_WEB_PART_TITLE else []
        _post(s, c.INTRANET, post, index, days, banner_alt=alt, extra=extra)
    for site_url, posts in ((c.SCHOOLS, OTHER_POSTS["skoler"]), (c.HR_SITE, OTHER_POSTS["hr"])):
        for index, post in enumerate(posts):
            _post(s, site_url, post, index, s.rng.uniform(1, 120))
    _targeted(s)
    _drafts(s)
    _post(s, c.INTRANET, ("fyraftensmoede", p.EDITOR, c.HOSTILE_NEWS_TITLE,
                          "Fyraftensmøde om intranettet", (), "Tilmelding via din leder."),
          3, 2.5, rich=HOSTILE_HTML)
    body = ("<h2>Om intranettet</h2><p>Intranettet drives af kommunikationsafdelingen. Indhold "
            "kommer fra SharePoint, og søgningen respekterer dine rettigheder.</p>")
    editing.add_page(s.tenant, s.site(c.INTRANET), "om-intranettet.aspx", c.PAGE_TITLE,
                     canvas.page([canvas.rich_text(body)]), s.user(p.EDITOR),
                     description="Hvem står bag intranettet", news=False, when=s.ago(150))


def _targeted(s: Sample) -> None:
    teachers = ("paedagogisk-dag", p.MANAGER, c.TEACHERS_NEWS_TITLE,
                "Program for den pædagogiske dag i uge 43.",
                ("Dagen handler om læsning i alle fag og om elevernes trivsel i frikvartererne.",
                 "Vi mødes i Sundby Skoles festsal kl. 8.30."), "Se programmet for dagen.")
    _post(s, c.INTRANET, teachers, 0, 12, audiences=[s.group(p.TEACHERS).id])
    managers = ("ny-budgetmodel", p.MANAGER, c.MANAGERS_NEWS_TITLE,
                "Fra 2026 tildeles budgetter efter en ny model.",
                ("Modellen tager højde for antal børn og ældre i hvert distrikt. Lederne får et "
                 "budgetværktøj i Excel.", "Der holdes to informationsmøder for lederne."),
                "Tilmeld dig informationsmødet om budgetmodellen.")
    _post(s, c.INTRANET, managers, 1, 20, audiences=[s.group(p.MANAGERS).id])
    administration = ("frist-loenindberetning", p.HR, c.ADMINISTRATION_NEWS_TITLE,
                      "Lønindberetningen skal nu være færdig den 10. i måneden.",
                      (f"{c.ADMINISTRATION_NEWS_WORD}: den 10. i hver måned. Fristen er "
                       "rykket fem dage frem, fordi lønsystemet skifter leverandør.",
                       "Kontakt lønkontoret, hvis fristen ikke kan overholdes."),
                      "Se lønkalenderen for 2026.")
    item = _post(s, c.INTRANET, administration, 2, 8, audiences=[s.group(p.ADMINISTRATION).id])
    s.restrict(c.INTRANET, c.SITE_PAGES, item,
               {p.ADMINISTRATION: "Read", "Intranet Owners": "Full Control"})


def _drafts(s: Sample) -> None:
    post = ("ferieplanlaegning", p.HR, c.NEWS_WITH_DRAFT_TITLE,
            "Ferie for 2026 skal planlægges inden 1. marts.",
            ("Alle skal aftale deres sommerferie med lederen inden 1. marts. Mindst tre uger "
             "skal holdes i perioden 1. maj til 30. september.",), "Se ferieloven i kort form.")
    item = _post(s, c.INTRANET, post, 0, 30)
    draft = canvas.page([canvas.rich_text(
        f"<p>{c.DRAFT_WORD}: reglerne for afspadsering ændres også. Teksten er ikke godkendt "
        "endnu.</p>")])
    editing.save_version(s.tenant, s.site(c.INTRANET), s.library(c.INTRANET, c.SITE_PAGES), item,
                         s.user(p.HR), {"Title": c.DRAFT_ONLY_TITLE, "CanvasContent1": draft},
                         publish=False, when=s.ago(2))
    party = ("julefrokost-2026", p.EDITOR, c.NEVER_PUBLISHED_TITLE,
             "Program for årets julefrokost.",
             (f"{c.NEVER_PUBLISHED_WORD}: programmet er ikke på plads endnu.",), "Tilmelding.")
    _post(s, c.INTRANET, party, 1, 1, publish=False)


def _post(s: Sample, site_url: str, post: Post, index: int, days: float,
          audiences: list[str] = (), banner_alt: str = "", extra: list[canvas.Part] = (),
          rich: str | None = None, publish: bool = True) -> ListItem:
    name, author, title, description, paragraphs, aside = post
    when = s.ago(days)
    fmt = "PNG" if index % 5 == 4 else "JPEG"
    picture = images.banner(title, s.rng.randrange(1 << 30), fmt)
    banner = _upload_image(s, site_url, name, f"banner.{fmt.lower().replace('jpeg', 'jpg')}",
                           picture, author, days)
    english = name in ENGLISH
    text = rich if rich is not None else "".join(f"<p>{html.escape(x)}</p>" for x in paragraphs)
    link = {p.HR: c.HR_SITE, p.IT_ADMIN: c.IT_SITE}.get(author, site_url)
    aside_part = (
        canvas.quick_links("Links" if english else "Genveje", [(aside, link)]),
        canvas.call_to_action(aside, "Read more" if english else "Læs mere", link),
        canvas.markdown("In short" if english else "Kort fortalt", aside),
    )[index % 3]
    page = canvas.page([canvas.rich_text(text), *extra, aside_part])
    return editing.add_page(s.tenant, s.site(site_url), f"{name}.aspx", title, page,
                            s.user(author), description, banner, banner_alt, news=True,
                            audiences=audiences, when=when, publish=publish)


def _photo_part(s: Sample, post: Post, days: float) -> canvas.Part:
    picture = images.banner("Elbil ved ladestanderen", 7)
    url = _upload_image(s, c.INTRANET, post[0], "elbil.jpg", picture, post[1], days)
    return canvas.image(url, c.IMAGE_WEB_PART_CAPTION, "Elbil ved ladestander")


def _upload_image(s: Sample, site_url: str, page: str, filename: str, data: bytes, author: str,
                  days: float) -> str:
    """Put an image in SiteAssets/SitePages/<page>/ and return its server-relative URL."""
    site, lst = s.site(site_url), s.library(site_url, c.SITE_ASSETS)
    for folder, age in (("SitePages", 365), (f"SitePages/{page}", days)):
        if lst.item_by_url(f"{lst.root_url}/{folder}") is None:
            editing.add_folder(s.tenant, site, lst, folder, s.user(author), s.ago(age))
    item = editing.add_file(s.tenant, site, lst, f"SitePages/{page}", filename, data,
                            s.user(author), when=s.ago(days))
    return item.file_ref
