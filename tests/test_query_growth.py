"""N+1 guard: no public page and no admin changelist does more queries when every table has more
rows. Each page is requested with a few rows of every model, then again after more rows of every
model (with every relation the pages follow filled in) were added; the query counts must match.

A page that fetches a related row per listed row (a missing select_related / prefetch_related, a
property that queries) fails here, whichever model it lists."""

import datetime
import itertools
import time

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.page_cache import VERSION_KEY
from csvimport.models import ImportBatch
from programs.models import Edition
from tests.factories import (
    CampusFactory,
    ChapterFactory,
    DepartmentFactory,
    EditionFactory,
    PartnerOrganizationFactory,
    PrefectureFactory,
    ProgramFactory,
    RegionalDeskFactory,
    RegionalOfficeFactory,
    SectionFactory,
    SupportTypeFactory,
)

pytestmark = pytest.mark.django_db

_prefecture_codes = itertools.count(1)


def add_rows(n, superuser):
    """n more rows of every model, each related to the others as on the real site."""
    current = EditionFactory(year=2024)
    archived = EditionFactory(
        year=2023, status=Edition.Status.ARCHIVED, published_on=datetime.date(2023, 6, 1)
    )
    head = RegionalOfficeFactory(kind="本部")
    for _ in range(n):
        office = RegionalOfficeFactory(parent=head)
        group = Group.objects.create(name=f"編集者：{office.code}")
        department = DepartmentFactory(office=office, editor_group=group)
        section = SectionFactory(department=department)
        code = f"{next(_prefecture_codes):02d}"
        prefecture = PrefectureFactory(code=code, name=f"テスト県{code}", regional_office=office)
        PartnerOrganizationFactory(prefecture=prefecture)
        CampusFactory(office=office, address=f"テスト県{code}テスト市1-1")
        chapter = ChapterFactory()
        support_type = SupportTypeFactory()
        programs = [
            ProgramFactory(
                edition=edition,
                chapter=chapter,
                support_type=support_type,
                department=department,
                contact_section=section,
            )
            for edition in (current, archived)
        ]
        RegionalDeskFactory(
            office=office,
            program_codes=programs[0].code,
            program_labels=f"第{chapter.number}章-{programs[0].number} {programs[0].name}",
        )
        ImportBatch.objects.create(
            model_label="programs.Program", file_name="p.csv", file_sha256="0" * 64,
            data=b"", user=superuser, target="2024",
        )  # fmt: skip
        LogEntry.objects.create(
            user=superuser,
            content_type=ContentType.objects.get_for_model(programs[0]),
            object_id=str(programs[0].pk),
            object_repr=programs[0].name,
            action_flag=CHANGE,
            change_message='[{"changed": {"fields": ["name"]}}]',
        )


def public_urls():
    from programs.models import Program

    program = Program.objects.filter(edition__year=2024).order_by("pk").first()
    office = program.department.office
    prefecture = office.prefectures.first()
    return [
        "/",
        "/programs/",
        f"/programs/?chapter={program.chapter.number}",
        "/programs/?q=テスト",
        f"/programs/{program.code}/",
        "/2023/programs/",
        "/2024/changes/",
        "/index/",
        "/offices/",
        f"/offices/{office.code}/",
        "/prefectures/",
        f"/prefectures/{prefecture.code}/?program={program.code}",
        "/programs.csv",
        "/programs.json",
        "/programs/?q=テスト 補助金",
        "/programs/?audience=sme&area=national",
        "/open-data/",
        "/open-data/offices.json",
        "/open-data/desks.csv",
        "/open-data/partners.json",
        "/feeds/programs.atom",
        "/sitemap.xml",
    ]


ADMIN_URLS = [
    "/admin/programs/program/",
    "/admin/programs/edition/",
    "/admin/programs/chapter/",
    "/admin/programs/supporttype/",
    "/admin/contacts/section/",
    "/admin/contacts/partnerorganization/",
    "/admin/contacts/regionaldesk/",
    "/admin/contacts/prefecture/",
    "/admin/contacts/regionaloffice/",
    "/admin/contacts/department/",
    "/admin/contacts/campus/",
    "/admin/csvimport/importbatch/",
    "/admin/admin/logentry/",
    "/admin/programs/searchsynonym/",
]


def query_counts(client, urls):
    counts = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(queries.captured_queries)
    return counts


def committed():
    """What the commit of new rows does on the site: the content version moves, so what was
    kept under the old one (search texts, pages) is read afresh. A test's transaction never
    commits."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def test_public_pages_do_not_query_per_row(client, superuser):
    add_rows(2, superuser)
    committed()
    urls = public_urls()
    few = query_counts(client, urls)
    add_rows(6, superuser)
    committed()
    assert query_counts(client, urls) == few


def test_changelists_do_not_query_per_row(client, superuser):
    client.force_login(superuser)
    add_rows(2, superuser)
    few = query_counts(client, ADMIN_URLS)
    add_rows(6, superuser)
    assert query_counts(client, ADMIN_URLS) == few
