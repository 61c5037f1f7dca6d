import datetime

import factory

from contacts.models import (
    Campus,
    Department,
    PartnerOrganization,
    Prefecture,
    RegionalDesk,
    RegionalOffice,
    Section,
)
from programs.models import Chapter, Edition, Program, SupportType


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition
        django_get_or_create = ["year"]

    year = 2024
    title = factory.LazyAttribute(lambda o: f"令和{o.year - 2018}年度版 テスト用ハンドブック")
    status = Edition.Status.PUBLISHED
    published_on = datetime.date(2024, 6, 1)


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"テスト経営課題{o.number}")


class SupportTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportType
        django_get_or_create = ["number"]

    number = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda o: f"テスト支援種別{o.number}")


class RegionalOfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalOffice

    code = factory.Sequence(lambda n: f"office-{n}")
    name = factory.Sequence(lambda n: f"テスト地域本部{n}")
    kind = RegionalOffice.Kind.REGIONAL
    postal_code = "105-8453"
    address = "東京都港区虎ノ門3-5-1"
    phones = "代表：03-0000-0000"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"テスト支援部{n}")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    code = factory.Sequence(lambda n: f"section-{n}")
    department = factory.SubFactory(DepartmentFactory)
    name = factory.Sequence(lambda n: f"テスト課{n}")
    phones = "03-0000-0001"


class PrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefecture
        django_get_or_create = ["code"]

    code = "13"
    name = "東京都"
    regional_office = factory.SubFactory(RegionalOfficeFactory)


class PartnerOrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerOrganization

    code = factory.Sequence(lambda n: f"partner-{n}")
    prefecture = factory.SubFactory(PrefectureFactory)
    kind = PartnerOrganization.Kind.YOROZU
    name = factory.Sequence(lambda n: f"テストよろず支援拠点{n}")
    phones = "03-0000-0002"


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    code = factory.Sequence(lambda n: f"campus-{n}")
    name = factory.Sequence(lambda n: f"テスト校{n}")
    kind = Campus.Kind.UNIVERSITY
    phone = "03-0000-0003"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    edition = factory.SubFactory(EditionFactory)
    code = factory.Sequence(lambda n: f"program-{n}")
    chapter = factory.SubFactory(ChapterFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"テスト支援事業{n}")
    tagline = "テスト用のキャッチコピー"
    support_type = factory.SubFactory(SupportTypeFactory)
    department = factory.SubFactory(DepartmentFactory)
    page = 8
    index_heading = "て"
    reading = "てすとしえんじぎょう"
    target = "中小企業・小規模事業者"
    audience = "sme"
    area = "全国"
    points = "（１）概要\n・テスト用の事業内容です。"
    contact_phones = "03-0000-0004"


class RegionalDeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalDesk

    code = factory.Sequence(lambda n: f"desk-{n}")
    office = factory.SubFactory(RegionalOfficeFactory)
    section = "企業支援課"
    phone = "03-0000-0005"
