"""Chapters, support types and departments are listed in handbook order wherever they carry
counts (an annotate(Count(...)) query drops the model's ordering; PostgreSQL then returns any
order). The rows are created out of order so that neither database can get it right by luck."""

import pytest

from tests.factories import ChapterFactory, DepartmentFactory, ProgramFactory, SupportTypeFactory

pytestmark = pytest.mark.django_db

SHUFFLED = [3, 6, 1, 5, 2, 4]


@pytest.fixture
def shuffled():
    chapters = {n: ChapterFactory(number=n, name=f"章{n}") for n in SHUFFLED}
    types = {n: SupportTypeFactory(number=n, name=f"種別{n}") for n in [4, 1, 5, 3, 2]}
    departments = {n: DepartmentFactory(order=n, code=f"d{n}") for n in [2, 3, 1]}
    for i, n in enumerate(SHUFFLED):
        ProgramFactory(
            chapter=chapters[n],
            support_type=types[(i % 5) + 1],
            department=departments[(i % 3) + 1],
        )


def test_home_lists_chapters_and_support_types_in_handbook_order(client, shuffled):
    context = client.get("/").context
    assert [c.number for c in context["chapters"]] == [1, 2, 3, 4, 5, 6]
    assert [t.number for t in context["support_types"]] == [1, 2, 3, 4, 5]


def test_list_facets_and_chips_are_in_handbook_order(client, shuffled):
    response = client.get("/programs/?chapter=6&chapter=1&chapter=3&support_type=2", follow=True)
    context = response.context
    assert [c.number for c in context["chapters"]] == [1, 2, 3, 4, 5, 6]
    assert [t.number for t in context["support_types"]] == [1, 2, 3, 4, 5]
    assert [d.order for d in context["departments"]] == [1, 2, 3]
    chips = [chip["label"] for chip in context["active_filters"]]
    assert chips == ["第1章 章1", "第3章 章3", "第6章 章6", "種別2"]
