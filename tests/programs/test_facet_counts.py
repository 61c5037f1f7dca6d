"""The list, its facet counts and its total are worked out in memory (search.Index: the groups
of the programs the keyword leaves): each must equal what the filters in SQL give for that
choice."""

import random

import pytest

from core.text import gojuon_key
from programs.filters import AREA_CHOICES, ProgramFilter
from programs.models import Audience, Chapter, Edition, Program, SupportType
from tests.factories import ProgramFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

KEYWORDS = ["", "補助金", "岡山 補助金", "事業承継", "ハンズオン ＩＴ", "共済"]


def combinations(count=24, seed=2024):
    """Random choices of every filter (seeded: the same cases every run)."""
    rng = random.Random(seed)
    chapters = [str(n) for n in range(1, 7)]
    types = [str(n) for n in range(1, 6)]
    departments = ["", *Program.objects.values_list("department__code", flat=True).distinct()]
    for _ in range(count):
        params = {}
        if q := rng.choice(KEYWORDS):
            params["q"] = q
        for key, values in (("chapter", chapters), ("support_type", types)):
            if rng.random() < 0.5:
                params[key] = rng.sample(values, rng.randint(1, 2))
        if rng.random() < 0.5:
            params["audience"] = rng.sample(Audience.values, rng.randint(1, 2))
        if rng.random() < 0.4:
            params["area"] = rng.choice(AREA_CHOICES)[0]
        if rng.random() < 0.3:
            params["department"] = rng.choice(departments)
        yield params


def sql_count(params):
    published = Program.objects.published(Edition.objects.current()).for_listing()
    filterset = ProgramFilter(params, queryset=published)
    assert filterset.is_valid(), filterset.errors
    return filterset.qs.count()


def test_every_facet_count_equals_the_filters_in_sql(client):
    checked = 0
    for params in combinations():
        response = client.get("/programs/", params, follow=True)  # to the canonical order
        assert response.status_code == 200, params
        context = response.context
        assert context["paginator"].count == sql_count(params), params
        chosen = {k: v for k, v in params.items() if v}
        for chapter in context["chapters"]:
            expected = sql_count({**chosen, "chapter": [str(chapter.number)]})
            assert chapter.count == expected, (params, chapter)
        for support_type in context["support_types"]:
            expected = sql_count({**chosen, "support_type": [str(support_type.number)]})
            assert support_type.count == expected, (params, support_type)
        for department in context["departments"]:
            expected = sql_count({**chosen, "department": department.code})
            assert department.count == expected, (params, department)
        for audience in context["audiences"]:
            expected = sql_count({**chosen, "audience": [audience["value"]]})
            assert audience["count"] == expected, (params, audience)
        for area in context["areas"]:
            assert area["count"] == sql_count({**chosen, "area": area["value"]}), (params, area)
        checked += 1
    assert checked == 24
    assert Chapter.objects.count() == 6 and SupportType.objects.count() == 5


def listed_codes(client, params):
    """Every program the list shows for some filters, page after page."""
    codes, page = [], 1
    while True:
        response = client.get("/programs/", {**params, "page": page}, follow=True)
        assert response.status_code == 200, params
        codes += [program.code for program in response.context["programs"]]
        if not response.context["page_obj"].has_next():
            return codes
        page += 1


def test_the_list_is_what_the_filters_in_sql_give_in_the_same_order(client):
    """The list is filtered and ordered in memory (search.Index); each combination of filters
    and each order must list exactly the programs SQL selects, in SQL's order."""
    rng = random.Random(74)
    checked = 0
    for params in combinations(seed=2025):
        params.pop("q", None)
        if sort := rng.choice(["", "kana"]):
            params["sort"] = sort
        published = Program.objects.published(Edition.objects.current()).for_listing()
        filterset = ProgramFilter(params, queryset=published.in_handbook_order())
        assert filterset.is_valid(), filterset.errors
        rows = filterset.qs.values_list("code", "reading", "chapter__number", "number")
        if sort == "kana":  # 五十音順 as dictionaries sort, whatever the database's collation
            rows = sorted(rows, key=lambda r: (gojuon_key(r[1]), r[2], r[3]))
        expected = [code for code, *_rest in rows]
        assert listed_codes(client, params) == expected, params
        checked += 1
    assert checked == 24


def test_kana_order_is_the_dictionary_order_in_the_list_and_its_exports(client):
    """がいこく comes before かぜ in 五十音順 (dakuten count only between equal readings); code
    point order, and some databases' collations, put かぜ first."""
    edition = Edition.objects.current()
    chapter = Chapter.objects.get(number=1)
    programs = {
        "かぜのしえん": "風の支援",
        "がいこくのしえん": "外国の支援",
        "かいこくのしえん": "開国の支援",
    }
    for number, (reading, name) in enumerate(programs.items(), start=901):
        ProgramFactory(edition=edition, chapter=chapter, number=number, reading=reading, name=name)
    wanted = ["開国の支援", "外国の支援", "風の支援"]
    codes = listed_codes(client, {"sort": "kana"})
    names = dict(Program.objects.filter(code__in=codes).values_list("code", "name"))
    assert [names[c] for c in codes if names[c] in wanted] == wanted
    exported = client.get("/programs.json", {"sort": "kana"}).json()["programs"]
    assert [p["name"] for p in exported if p["name"] in wanted] == wanted
    index = client.get("/index/").content.decode()
    assert index.index("開国の支援") < index.index("外国の支援") < index.index("風の支援")
