"""Every public page runs a fixed number of queries, whatever the number of programs: the same
number with the real handbook (74 programs) and with 2,000 generated ones."""

import pytest

from programs.models import Program
from tests.public_data import Directory, build_directory
from tests.snapshots import DatabaseSnapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("recorded_version")]

# page → (URL template, queries). The queries, for the record:
#   every page: the current edition (once per request, shared with the header).
QUERIES = {
    # chapters + counts, support types + counts, prefectures for the finder form, the edition
    # before the current one (the 主な変更点 link)
    "home": ("/", 5),
    # the content version, the programs' keys, orders and facet columns (search.Index: kept
    # while the version stands, so one query fewer in production; every count, the total and
    # the page's keys come from it), chapters, support types, departments, the page of
    # programs
    "list": ("/programs/", 7),
    # + validating the chosen chapter and support type
    "filtered list": ("/programs/?chapter=5&support_type=1&audience=sme&area=national", 9),
    # the search synonyms, the content version, the programs' keys, orders and facet columns
    # and then their search texts (search.Index; kept while the version stands, so two
    # queries fewer in production), chapters, support types, departments, the page's programs
    "search": ("/programs/?q=%EF%BC%A9%EF%BC%B4%E5%B0%8E%E5%85%A5", 9),
    "sorted page 2": ("/programs/?sort=kana&page=2", 7),
    # program, its desks, their offices' prefectures, the chapter's programs, prefectures for
    # the 「お近くの相談先」 form
    "program": ("/programs/{program}/", 6),
    "index": ("/index/", 2),
    # offices, their prefectures
    "office list": ("/offices/", 3),
    # office (+parent), prefectures, children, campuses, desks (with their program codes),
    # programs
    "office": ("/offices/{office}/", 7),
    "prefecture finder": ("/prefectures/", 2),
    # prefecture (+office), partners, program, desks (with their program codes), programs,
    # the programs limited to its area, the count of nationwide ones, prefectures, schools
    "prefecture": ("/prefectures/{prefecture}/?program={program}", 10),
    "csv": ("/programs.csv?chapter=5&support_type=1", 4),
    # the current edition, the search synonyms, the content version, the index and the
    # search texts, the programs
    "json": ("/programs.json?q=%EF%BC%A9%EF%BC%B4%E5%B0%8E%E5%85%A5", 6),
}


@pytest.fixture(scope="session")
def generated_directory_snapshot(django_db_setup, django_db_blocker):
    """2,000 generated programs with their offices, desks and prefectures: built once per
    session, copied into each test that uses them (tests/snapshots.py)."""
    with django_db_blocker.unblock():
        return DatabaseSnapshot.take(lambda: build_directory(2000))


@pytest.fixture
def generated_directory(db, generated_directory_snapshot):
    generated_directory_snapshot.insert()
    return generated_directory_snapshot.result


@pytest.fixture(params=["handbook", "2000 programs"])
def directory(request):
    if request.param == "handbook":
        request.getfixturevalue("handbook")
        return Directory(program_code="hands-on-it", office_code="chugoku", prefecture_code="33")
    directory = request.getfixturevalue("generated_directory")
    assert Program.objects.count() == 2000
    return directory


@pytest.mark.parametrize("page", QUERIES)
def test_query_count_is_constant(client, directory, page, django_assert_num_queries):
    template, expected = QUERIES[page]
    url = template.format(
        program=directory.program_code,
        office=directory.office_code,
        prefecture=directory.prefecture_code,
    )
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200, url
    if page in ("list", "filtered list", "search", "sorted page 2"):
        assert len(response.context["programs"]) > 0, url
    if page == "program":
        assert len(response.context["desks"]) > 0
    if page == "prefecture":
        assert response.context["program_desks"]


def test_generated_directory_really_is_large(client, generated_directory):
    directory = generated_directory
    response = client.get("/programs/")
    assert response.context["paginator"].count == 2000
    assert response.context["paginator"].num_pages == 100
    desks = client.get(f"/programs/{directory.program_code}/").context["desks"]
    assert len(desks) == 3  # one desk in each of the three offices handles it
    office = client.get(f"/offices/{directory.office_code}/").context["desks"]
    assert sum(len(d.program_items) for d in office) == 2000


def test_program_page_lists_a_bounded_part_of_a_large_chapter(client):
    directory = build_directory(2000)  # 334 programs a chapter
    response = client.get(f"/programs/{directory.program_code}/")
    assert len(response.context["chapter_programs"]) == 30
    html = response.content.decode()
    assert "最初の30件を表示しています。" in html
    assert "章の支援施策をすべて一覧で見る" in html


def test_program_page_lists_a_handbook_chapter_whole(client, handbook):
    # 第4章, the handbook's largest chapter: 22 programs, all listed.
    program = Program.objects.get(code="hands-on-it")
    response = client.get(f"/programs/{program.code}/")
    listed = response.context["chapter_programs"]
    assert [p.number for p in listed] == list(
        Program.objects.filter(chapter=program.chapter)
        .order_by("number")
        .values_list("number", flat=True)
    )
    assert "最初の" not in response.content.decode()
