"""The sample tenant's documents: formats, traps, dates, folders and Danish words."""

from __future__ import annotations

import io
import pickle
import zipfile
from datetime import timedelta

import openpyxl
import pytest
from sample_support import FORMATS, documents, find, text_of, words_in

from emulator.sample import catalogue as c
from emulator.tenant import ListItem, Tenant


@pytest.fixture(scope="module")
def sundby(sample_tenant_bytes: bytes) -> Tenant:
    """The session's sample tenant, shared read-only by this module's tests."""
    return pickle.loads(sample_tenant_bytes)


def readable(tenant: Tenant) -> list[ListItem]:
    """The documents whose text can be read: all but the corrupt and the empty file."""
    return [item for _, _, item in documents(tenant)
            if item.name not in (c.CORRUPT_FILE, c.EMPTY_FILE)]


# --- documents -------------------------------------------------------------------------------

def test_at_least_80_documents_in_every_format(sundby: Tenant) -> None:
    found = documents(sundby)
    names = [item.name for _, _, item in found]

    assert len(found) >= 80
    assert {name.rpartition(".")[2] for name in names} == FORMATS
    assert {"æ", "ø", "å"} <= set("".join(names))
    assert {site.url for site, _, _ in found} == set(c.SITE_URLS)


def test_office_files_open_with_their_libraries(sundby: Tenant) -> None:
    for item in readable(sundby):
        assert len(words_in(text_of(item.name, item.current.read()))) >= 5, item.file_ref


def test_the_corrupt_and_the_empty_file(sundby: Tenant) -> None:
    corrupt = find(sundby, c.INTRANET, c.DOCUMENTS, c.CORRUPT_FILE)
    empty = find(sundby, c.INTRANET, c.DOCUMENTS, c.EMPTY_FILE)

    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(io.BytesIO(corrupt.current.read()))
    assert corrupt.current.read().startswith(b"PK")
    assert empty.current.size == 0 and empty.current.read() == b""


def test_large_files_weigh_several_megabytes(sundby: Tenant) -> None:
    sizes = {item.name: item.current.size for _, _, item in documents(sundby)}

    for name in c.LARGE_FILES:
        assert 3_000_000 <= sizes[name] <= 6_000_000
    assert sum(size > 1_000_000 for size in sizes.values()) == len(c.LARGE_FILES)


def test_documents_lie_in_nested_folders(sundby: Tenant) -> None:
    depths = [item.file_ref.count("/") - lst.root_url.count("/") - 1
              for _, lst, item in documents(sundby)]

    assert max(depths) >= 2 and depths.count(0) >= 20


def test_dates_and_authors_are_spread_over_the_past_year(sundby: Tenant) -> None:
    found = [item for _, _, item in documents(sundby)]
    newest = max(item.modified for item in found)
    ages = [newest - item.created for item in found]

    assert max(ages) > timedelta(days=300) and min(ages) >= timedelta(0)
    assert sum(item.modified > item.created for item in found) >= 20
    assert all(item.modified >= item.created for item in found)
    assert len({item.author_id for item in found}) >= 6


def test_a_draft_document_that_was_never_published(sundby: Tenant) -> None:
    item = find(sundby, c.HR_SITE, c.POLICIES, c.DRAFT_DOCUMENT)

    assert item.current.label == "0.1"


def document_words(tenant: Tenant, site_url: str, title: str, name: str) -> set[str]:
    return words_in(text_of(name, find(tenant, site_url, title, name).current.read()))


def test_compound_words_and_their_parts_are_in_different_documents(sundby: Tenant) -> None:
    compound = document_words(sundby, c.HR_SITE, c.DOCUMENTS, c.COMPOUND_DOCUMENT)
    satisfaction = document_words(sundby, c.INTRANET, c.DOCUMENTS, c.SATISFACTION_DOCUMENT)
    survey = document_words(sundby, c.HR_SITE, c.DOCUMENTS, c.SURVEY_DOCUMENT)

    assert c.COMPOUND_WORD in compound and not {"tilfredshed", "undersøgelse"} & compound
    assert "tilfredshed" in satisfaction and c.COMPOUND_WORD not in satisfaction
    assert "undersøgelse" in survey and c.COMPOUND_WORD not in survey


def test_each_inflected_form_has_a_document_of_its_own(sundby: Tenant) -> None:
    forms = set(c.INFLECTED_DOCUMENTS)
    for form, name in c.INFLECTED_DOCUMENTS.items():
        words = document_words(sundby, c.HR_SITE, c.DOCUMENTS, name)
        assert words & forms == {form}


def test_some_documents_are_in_english(sundby: Tenant) -> None:
    english = [item for item in readable(sundby)
               if "the" in words_in(text_of(item.name, item.current.read()))]

    assert len(english) >= 8
