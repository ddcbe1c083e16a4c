"""The search page and type-ahead as a user meets them: results, filters with counts, sort,
pages, "did you mean", the empty page, broken queries, and trimming on every surface."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask.testing import FlaskClient
from portal_support import (
    HR_SITE,
    SITE,
    build_documents,
    build_index,
    parse_html,
    title_of,
)

from emulator.sample import catalogue as c
from emulator.sample import people as p
from emulator.server import Emulator
from indexer.document import Document

ROAD_WORD = "vejplan"  # in four documents of different ages, sites and types


def road_plans(sharepoint_url: str) -> list[Document]:
    """Documents holding ROAD_WORD, modified 2, 20, 200 and 400 days before now."""
    now = datetime.now(UTC)
    specs = [("road-week", "Cykelstier i centrum", f"Ny {ROAD_WORD} for cykler.", SITE, "docx",
              2), ("road-month", "Trafik omkring skolen", f"Se {ROAD_WORD} og skoleveje.", SITE,
                   "docx", 20),
             ("road-year", "Vejplan 2026", "Årets vejarbejder.", HR_SITE, "pdf", 200),
             ("road-old", "Vejplan for Havnevej", "Havnevej får ny belægning.", HR_SITE, "pdf",
              400)]
    return [Document(id=doc_id, kind="document", title=title, body=body, site_id=site,
                     site_title="Intranet" if site == SITE else "HR", list_id="docs",
                     url=f"{sharepoint_url}/sites/x/{doc_id}.{file_type}", file_type=file_type,
                     author="Jens Møller", modified=now - timedelta(days=days),
                     acl=["everyone"])
            for doc_id, title, body, site, file_type, days in specs]


@pytest.fixture
def index_dir(emulator: Emulator, tmp_path: Path) -> Path:
    """The portal tests' index plus the road plans."""
    docs = build_documents(emulator.sharepoint_url) + road_plans(emulator.sharepoint_url)
    return build_index(tmp_path / "index", docs)


def open_page(client: FlaskClient, path: str, status: int = 200) -> ET.Element:
    """Fetch a page, check its status and that it is well-formed HTML."""
    response = client.get(path)
    assert response.status_code == status, response.text
    return parse_html(response.text)


def text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def results_list(tree: ET.Element) -> ET.Element | None:
    return tree.find(".//ol[@aria-labelledby='results-heading']")


def hit_titles(tree: ET.Element) -> list[str]:
    found = results_list(tree)
    return [text(h) for h in found.iter("h3")] if found is not None else []


def total(tree: ET.Element) -> int:
    status = text(tree.find(".//*[@role='status']"))
    return int(re.match(r"[\d.]+", status).group().replace(".", ""))


def facet_options(tree: ET.Element) -> dict[str, dict[str, tuple[int, str]]]:
    """{facet heading: {value label: (count, link)}}; a chosen value links to its removal."""
    facets = {}
    for section in tree.iterfind(".//aside[@id='filters']/section"):
        values = {}
        for item in section.iter("li"):
            chosen = item.find("span[@aria-current='true']")
            label = text(chosen if chosen is not None else item.find("a")).rsplit(" (", 1)[0]
            count = int(text(item.find(".//span[@class='count']")).strip("()"))
            values[label] = (count, item.find(".//a").get("href"))
        facets[text(section.find("h3"))] = values
    return facets


def facet_counts(tree: ET.Element) -> dict[str, dict[str, int]]:
    """{facet heading: {value label: count}} of the filters shown."""
    return {name: {label: count for label, (count, _) in values.items()}
            for name, values in facet_options(tree).items()}


def facet_link(tree: ET.Element, facet: str, label: str) -> str:
    """The link of a filter value (for a chosen value: the link that removes it)."""
    return facet_options(tree)[facet][label][1]


def did_you_mean(tree: ET.Element) -> str | None:
    link = tree.find(".//p[@class='did-you-mean']/a")
    return text(link) if link is not None else None


def suggestions(client: FlaskClient, prefix: str) -> list[str]:
    response = client.get("/search/suggest", query_string={"q": prefix})
    assert response.status_code == 200 and response.mimetype == "application/json"
    return [s["title"] for s in response.get_json()["suggestions"]]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_a_result_shows_title_snippet_site_type_date_and_author(signed_in):
    tree = open_page(signed_in, "/search?q=personalehåndbog")
    first = results_list(tree).find("li")
    link = first.find("h3/a")
    assert (text(link), link.get("href")) == ("Personalehåndbog 2026", "/documents/public-doc")
    snippet = first.find("p[@class='snippet']")
    assert [text(m) for m in snippet.iter("mark")] == ["Personalehåndbogen"]
    assert text(first.find("p[@class='meta']")) == "HR · PDF · 1. marts 2026 · Camilla Nørgaard"
    news = open_page(signed_in, "/search?q=velkommen")
    assert results_list(news).find("li/h3/a").get("href") == "/news/welcome"
    assert "Nyhed" in text(results_list(news).find("li/p[@class='meta']"))


def test_filters_show_counts_and_are_set_and_removed_with_plain_links(signed_in):
    tree = open_page(signed_in, f"/search?q={ROAD_WORD}")
    assert total(tree) == 4
    assert facet_counts(tree) == {"Websted": {"HR": 2, "Intranet": 2},
                                  "Type": {"PDF": 2, "Word": 2},
                                  "Ændret": {"Seneste uge": 1, "Seneste måned": 2,
                                             "Seneste år": 3}}
    by_site = open_page(signed_in, facet_link(tree, "Websted", "Intranet"))
    assert sorted(hit_titles(by_site)) == ["Cykelstier i centrum", "Trafik omkring skolen"]
    chosen = by_site.find(".//aside//li[@class='chosen']")
    assert text(chosen.find("span[@aria-current='true']")) == "Intranet"
    remove = chosen.find("a[@class='remove']")
    assert remove.get("aria-label") == "Fjern filter: Intranet"
    assert query_of(remove.get("href")) == {"q": [ROAD_WORD]}
    by_month = open_page(signed_in, facet_link(tree, "Ændret", "Seneste måned"))
    assert sorted(hit_titles(by_month)) == ["Cykelstier i centrum", "Trafik omkring skolen"]
    both = open_page(signed_in, facet_link(by_month, "Type", "Word"))
    assert total(both) == 2
    assert query_of(facet_link(both, "Type", "Word")) == {"q": [ROAD_WORD],
                                                          "modified": ["month"]}
    everything = both.find(".//aside[@id='filters']/p/a")
    assert text(everything) == "Fjern alle filtre"
    assert query_of(everything.get("href")) == {"q": [ROAD_WORD]}


def test_sort_by_relevance_or_newest(signed_in):
    relevance = open_page(signed_in, f"/search?q={ROAD_WORD}")
    assert set(hit_titles(relevance)[:2]) == {"Vejplan 2026", "Vejplan for Havnevej"}
    sort = relevance.find(".//nav[@aria-label='Sortér resultaterne']")
    assert text(sort.find("a[@aria-current='true']")) == "Relevans"
    newest_link = next(a for a in sort.iter("a") if text(a) == "Nyeste").get("href")
    newest = open_page(signed_in, newest_link)
    assert hit_titles(newest) == ["Cykelstier i centrum", "Trafik omkring skolen",
                                  "Vejplan 2026", "Vejplan for Havnevej"]


def test_pages_keep_the_query_filters_and_sort(signed_in):
    first = open_page(signed_in, "/search?q=nyhed&type=news&sort=newest")
    assert total(first) == 25 and len(hit_titles(first)) == 20
    pager = first.find(".//nav[@class='pager']")
    assert text(pager.find(".//a[@aria-current='page']")) == "Side 1"
    following = pager.find("a[@rel='next']").get("href")
    assert query_of(following) == {"q": ["nyhed"], "type": ["news"], "sort": ["newest"],
                                   "page": ["2"]}
    second = open_page(signed_in, following)
    assert hit_titles(second) == [f"Nyhed nummer {n}" for n in range(21, 26)]
    assert text(second.find(".//nav[@class='pager']//a[@aria-current='page']")) == "Side 2"
    assert second.find(".//ol[@class='results']").get("start") == "21"
    open_page(signed_in, "/search?q=nyhed&page=3", status=404)


def test_did_you_mean_runs_the_corrected_query(signed_in):
    tree = open_page(signed_in, "/search?q=personalehåndbg")
    assert total(tree) == 0 and did_you_mean(tree) == "personalehåndbog"
    corrected = tree.find(".//p[@class='did-you-mean']/a").get("href")
    assert hit_titles(open_page(signed_in, corrected))[0] == "Personalehåndbog 2026"
    assert did_you_mean(open_page(signed_in, "/search?q=personalehåndbog")) is None


def test_an_empty_result_suggests_what_to_try_next(signed_in):
    tree = open_page(signed_in, "/search?q=zzzqqq xyzzy&type=pdf")
    empty = tree.find(".//section[@class='empty']")
    assert text(empty.find("h2")) == "Intet fundet for »zzzqqq xyzzy«"
    advice = {text(li): li.find("a") for li in empty.find("ul").iter("li")}
    assert "Tjek stavningen." in advice
    wider = advice["Brug færre ord, eller søg efter blot ét af dem: zzzqqq OR xyzzy"]
    assert query_of(wider.get("href")) == {"q": ["zzzqqq OR xyzzy"], "type": ["pdf"]}
    assert query_of(advice["Fjern filtrene"].get("href")) == {"q": ["zzzqqq xyzzy"]}
    assert advice["Se nyhedsarkivet"].get("href") == "/news"
    recent = [text(a) for a in empty.find("ul[@class='links']").iter("a")]
    assert recent[:2] == ["Cykelstier i centrum", "Trafik omkring skolen"]
    assert "Lønaftale" not in recent  # only the documents the teacher may see
    assert results_list(tree) is None


def test_the_page_in_english(signed_in):
    signed_in.set_cookie("lang", "en")
    tree = open_page(signed_in, f"/search?q={ROAD_WORD}&modified=year")
    assert text(tree.find(".//*[@role='status']")) == f"3 results for “{ROAD_WORD}”"
    assert facet_counts(tree)["Modified"] == {"Past week": 1, "Past month": 2, "Past year": 3}
    assert set(facet_counts(tree)) == {"Site", "Type", "Modified"}
    assert did_you_mean(open_page(signed_in, "/search?q=personalehåndbg")) == "personalehåndbog"
    one = open_page(signed_in, "/search?q=personalehåndbog")
    assert text(one.find(".//*[@role='status']")) == "1 result for “personalehåndbog”"


def test_the_search_box_offers_type_ahead_to_the_script(signed_in):
    for path in ("/", "/search"):
        tree = open_page(signed_in, path)
        box = tree.find(".//form[@role='search']")
        field = box.find(".//input[@name='q']")
        assert box.find(f"label[@for='{field.get('id')}']") is not None
        assert field.get("data-suggest") == "/search/suggest"
        assert "#" in field.get("data-suggest-status")


def test_type_ahead_answers_short_uncached_json_with_portal_links(signed_in):
    response = signed_in.get("/search/suggest?q=nyhed num")
    assert response.headers["Cache-Control"] == "no-store"
    found = response.get_json()["suggestions"]
    assert len(found) == 8
    assert found[0] == {"title": "Nyhed nummer 1", "type": "Nyhed", "url": "/news/n01"}
    assert suggestions(signed_in, "vejpl")[0] == "Vejplan 2026"
    assert suggestions(signed_in, "v") == [] and suggestions(signed_in, "") == []


def test_type_ahead_needs_sign_in(client):
    response = client.get("/search/suggest?q=nyhed")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/signin")


BROKEN = ['"ubalanceret citat', 'ferie"', "OR", "-", "*", "- OR *", "AND NOT", "x" * 10_000,
          "\x00\x07ferie\x1b", "\x00", "site:", 'type:"', "author:", "((", ")", "%s%n",
          "\u202e\u200b", "😀 OR", "nyhed " * 2_000, "-nyhed", "ab*", "site:hr type:", '""']


@pytest.mark.parametrize("query", BROKEN)
def test_broken_syntax_gives_a_normal_page(signed_in, query):
    response = signed_in.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert title_of(response.text).startswith(("Søgning: ", "Søg –"))
    assert "Traceback" not in response.text
    suggest = signed_in.get("/search/suggest", query_string={"q": query})
    assert suggest.status_code == 200 and "suggestions" in suggest.get_json()


@pytest.mark.parametrize(("args", "status"), [
    ({"page": "abc"}, 200), ({"page": "-1"}, 200), ({"page": "99999999999999999999"}, 404),
    ({"sort": "evil"}, 200), ({"modified": "decade"}, 200), ({"type": "x" * 5_000}, 200),
    ({"site": "<script>alert(1)</script>"}, 200), ({"site": "\x00"}, 200),
])
def test_odd_parameters_give_a_normal_page(signed_in, args, status):
    response = signed_in.get("/search", query_string={"q": "nyhed"} | args)
    assert response.status_code == status
    assert "<script>alert" not in response.text
    parse_html(response.text)


# Trimming: the secret document (c.SECRET_WORD, titled "Lønaftale") is for the care worker only.
@pytest.mark.parametrize(("upn", "allowed"), [(p.TEACHER, False), (c.SECRET_USER, True)])
def test_a_restricted_word_shows_only_to_whom_may_see_it(auth, client, upn, allowed):
    auth(upn)
    word = c.SECRET_WORD
    results = open_page(client, f"/search?q={word}")
    assert hit_titles(results) == (["Lønaftale"] if allowed else [])
    assert total(results) == (1 if allowed else 0)
    marks = [text(m) for m in results.iter("mark")]
    assert marks == ([word] if allowed else [])
    assert (word.lower() in text(results_list(results)).lower()) is allowed

    both = open_page(client, f"/search?q={word} OR personalehåndbog")
    counts = facet_counts(both)
    public = facet_counts(open_page(client, "/search?q=personalehåndbog"))
    assert counts["Websted"] == {"HR": 2 if allowed else 1}
    assert counts["Type"] == ({"PDF": 1, "Word": 1} if allowed else {"PDF": 1})
    if not allowed:
        assert counts.get("Ændret") == public.get("Ændret")

    near_miss = open_page(client, f"/search?q={word[:-2]}{word[-1]}")  # "Kvartsblomt"
    assert did_you_mean(near_miss) == (word.lower() if allowed else None)
    assert (word.lower() in text(near_miss).lower()) is allowed

    assert suggestions(client, "Lønaft") == (["Lønaftale"] if allowed else [])
