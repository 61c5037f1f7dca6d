"""Keyword search reads the programs' texts from memory (programs.search.Index), kept per worker
while the content version stands: never served after a change."""

import pytest
from django.core.cache import cache

from core.page_cache import VERSION_KEY
from programs import search
from programs.models import Program

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

URL = "/programs/"
NEW_TAGLINE = "索引確認用のとても珍しいキャッチコピー"


@pytest.fixture(autouse=True)
def no_kept_indexes():
    search._indexes.clear()
    yield
    search._indexes.clear()


def edit_tagline(code, tagline, capture):
    program = Program.objects.get(code=code)
    with capture(execute=True):  # the commit a real request makes: the version moves
        program.tagline = tagline
        program.save()


def names(response):
    return [p.name for p in response.context["programs"]]


def test_the_index_is_kept_while_the_version_stands(
    client, django_capture_on_commit_callbacks, django_assert_num_queries
):
    edit_tagline("fastar", "FASTARのキャッチコピー", django_capture_on_commit_callbacks)
    client.get(URL, {"q": "事業承継"})  # loads the texts once
    # edition, synonyms, version, chapters, support types, departments, page: no texts
    with django_assert_num_queries(7):
        response = client.get(URL, {"q": "創業"})
    assert response.context["paginator"].count > 0
    assert len(search._indexes) == 1


def test_the_list_keeps_the_index_and_reads_the_texts_only_for_a_keyword(
    client, recorded_version, django_assert_num_queries
):
    client.get(URL)  # the list: keys, orders and facet groups, no texts
    [index] = search._indexes.values()
    assert "text_columns" not in vars(index)
    # edition, synonyms, version, the texts (once), chapters, support types, departments, page
    with django_assert_num_queries(8):
        client.get(URL, {"q": "事業承継"})
    assert "text_columns" in vars(index)
    with django_assert_num_queries(7):
        client.get(URL, {"q": "創業"})


def test_an_edit_is_found_at_once(client, django_capture_on_commit_callbacks):
    edit_tagline("fastar", "FASTARのキャッチコピー", django_capture_on_commit_callbacks)
    assert names(client.get(URL, {"q": NEW_TAGLINE})) == []
    edit_tagline("fastar", NEW_TAGLINE, django_capture_on_commit_callbacks)
    assert names(client.get(URL, {"q": NEW_TAGLINE})) == [Program.objects.get(code="fastar").name]
    # The index of the older version is never read again: not kept beside the new one.
    assert len(search._indexes) == 1


def test_a_lost_version_is_recorded_and_the_index_kept_under_it(client, django_assert_num_queries):
    # The cache may lose the version entry (culled or cleared): without one nothing could be
    # kept, and every search would read every text until the next edit.
    cache.delete(VERSION_KEY)
    client.get(URL, {"q": "事業承継"})
    version = cache.get(VERSION_KEY)
    assert version is not None
    assert [key[-1] for key in search._indexes] == [version]
    # edition, synonyms, version, chapters, support types, departments, page: no texts
    with django_assert_num_queries(7):
        client.get(URL, {"q": "創業"})


@pytest.mark.parametrize(
    "needle, expected",
    [
        ("補助", [0, 3]),  # once per program, however often it occurs there
        ("金融", []),  # the end of one text and the start of the next are not one word
        ("融資", [3]),  # the last text
        ("", [0, 1, 2, 3]),
    ],
)
def test_a_column_finds_each_program_once_and_never_across_two(needle, expected):
    column = search.Column(["補助金と補助", "", "金", "融資と補助"])
    assert column.containing(needle) == expected
