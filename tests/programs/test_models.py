import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core.text import kana_heading
from core.wareki import fiscal_year_label
from programs.models import Edition, Program
from tests.factories import ChapterFactory, EditionFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_current_edition_is_the_latest_published():
    EditionFactory(year=2023, status=Edition.Status.ARCHIVED)
    e2024 = EditionFactory(year=2024, status=Edition.Status.PUBLISHED)
    EditionFactory(year=2025, status=Edition.Status.DRAFT, published_on=None)
    assert Edition.objects.current() == e2024


def test_no_current_edition_before_anything_is_published():
    EditionFactory(year=2025, status=Edition.Status.DRAFT, published_on=None)
    assert Edition.objects.current() is None


@pytest.mark.parametrize(
    ("year", "label"),
    [(2019, "令和元年度"), (2020, "令和2年度"), (2024, "令和6年度"), (2018, "平成30年度")],
)
def test_fiscal_year_in_wareki(year, label):
    assert fiscal_year_label(year) == label


def test_edition_label():
    assert EditionFactory.build(year=2024).label == "令和6年度版"


def test_published_edition_needs_a_date_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(year=2030, title="x", status=Edition.Status.PUBLISHED)


def test_published_edition_needs_a_date_clean_message():
    edition = Edition(year=2030, title="x", status=Edition.Status.PUBLISHED)
    with pytest.raises(ValidationError) as exc:
        edition.full_clean()
    assert "公開日" in str(exc.value)


def test_edition_year_range_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        Edition.objects.create(year=2000, title="x", status=Edition.Status.DRAFT)
    with pytest.raises(ValidationError) as exc:
        Edition(year=2000, title="x").full_clean()
    assert "2019" in str(exc.value)


def test_program_code_unique_per_edition():
    program = ProgramFactory(code="hands-on")
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(code="hands-on", edition=program.edition)
    # the same code in another edition is the same program in another year
    ProgramFactory(code="hands-on", edition=EditionFactory(year=2025, status="draft"))
    assert Program.objects.filter(code="hands-on").count() == 2


def test_program_code_clash_message_is_japanese():
    program = ProgramFactory(code="hands-on")
    clash = ProgramFactory.build(
        code="hands-on",
        edition=program.edition,
        chapter=program.chapter,
        support_type=program.support_type,
        department=program.department,
        number=99,
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "同じ事業コード" in str(exc.value)


def test_program_number_unique_per_chapter_and_edition():
    chapter = ChapterFactory()
    first = ProgramFactory(chapter=chapter, number=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(chapter=chapter, number=3, edition=first.edition)
    clash = ProgramFactory.build(
        chapter=chapter,
        number=3,
        edition=first.edition,
        support_type=first.support_type,
        department=first.department,
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "同じ章に同じ番号" in str(exc.value)


def test_program_number_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(number=0)


def test_program_code_must_be_a_slug():
    program = ProgramFactory.build(code="ハンズオン")
    with pytest.raises(ValidationError) as exc:
        program.full_clean(exclude=["edition", "chapter", "support_type", "department"])
    assert "半角英小文字" in str(exc.value)


def test_index_heading_must_match_reading():
    program = ProgramFactory.build(index_heading="か", reading="はんずおん")
    with pytest.raises(ValidationError) as exc:
        program.clean()
    assert "索引見出し「か」" in str(exc.value)


@pytest.mark.parametrize(
    ("reading", "heading"), [("じぎょう", "し"), ("ぎじゅつ", "き"), ("はんず", "は")]
)
def test_kana_heading_drops_dakuten(reading, heading):
    assert kana_heading(reading) == heading


def test_contact_phone_format_is_checked():
    program = ProgramFactory.build(contact_phones="Tel：03-5470-156")
    with pytest.raises(ValidationError) as exc:
        program.full_clean(exclude=["edition", "chapter", "support_type", "department"])
    assert "電話番号の形式" in str(exc.value)


def test_published_queryset_hides_drafts_and_retired():
    current = ProgramFactory()
    ProgramFactory(edition=current.edition, status=Program.Status.RETIRED)
    ProgramFactory(edition=EditionFactory(year=2025, status="draft", published_on=None))
    assert list(Program.objects.published(current.edition)) == [current]
    draft = Edition.objects.get(year=2025)
    assert not Program.objects.published(draft).exists()
    assert not Program.objects.published(None).exists()


def test_search_index_is_nfkc_folded():
    program = ProgramFactory(name="ＩＴ導入補助金", tagline="ｶﾀｶﾅ")
    program.refresh_from_db()
    assert "it導入補助金" in program.search_index
    assert "カタカナ" in program.search_index


def test_absolute_url_is_stable_per_year():
    program = ProgramFactory(code="hands-on", edition=EditionFactory(year=2024))
    assert program.get_absolute_url() == "/2024/programs/hands-on/"


def test_edition_published_on_date():
    edition = EditionFactory(year=2026, published_on=datetime.date(2026, 6, 1))
    assert str(edition) == "令和8年度版"
