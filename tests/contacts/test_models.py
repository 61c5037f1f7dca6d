import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contacts.models import PartnerOrganization, Prefecture, RegionalOffice
from core.phones import is_phone_number, parse_phones
from tests.factories import (
    CampusFactory,
    DepartmentFactory,
    PartnerOrganizationFactory,
    PrefectureFactory,
    RegionalOfficeFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def test_section_name_unique_per_department():
    section = SectionFactory(name="企業支援課")
    with pytest.raises(IntegrityError), transaction.atomic():
        SectionFactory(name="企業支援課", department=section.department)
    SectionFactory(name="企業支援課", department=DepartmentFactory())  # another department: fine
    clash = SectionFactory.build(code="other", name="企業支援課", department=section.department)
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "同じ名前の課・室" in str(exc.value)


def test_prefecture_code_range_constraint():
    with pytest.raises(IntegrityError), transaction.atomic():
        Prefecture.objects.create(code="48", name="架空県")
    with pytest.raises(ValidationError) as exc:
        Prefecture(code="00", name="架空県").full_clean()
    assert "01～47" in str(exc.value)


def test_partner_unique_per_prefecture_kind_and_name():
    partner = PartnerOrganizationFactory(name="東京都よろず支援拠点")
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnerOrganizationFactory(name="東京都よろず支援拠点", prefecture=partner.prefecture)
    clash = PartnerOrganizationFactory.build(
        code="x", name="東京都よろず支援拠点", prefecture=partner.prefecture
    )
    with pytest.raises(ValidationError) as exc:
        clash.full_clean()
    assert "同じ種別・名称の関係機関" in str(exc.value)


def test_council_phones_need_zen_or_kei_labels():
    partner = PartnerOrganizationFactory.build(
        code="x",
        prefecture=PrefectureFactory(),
        kind=PartnerOrganization.Kind.REVITALIZATION,
        name="東京都中小企業活性化協議会",
        phones="全：03-1111-2222\n03-3333-4444",
    )
    with pytest.raises(ValidationError) as exc:
        partner.full_clean()
    assert "03-3333-4444" in str(exc.value)
    partner.phones = "全：03-1111-2222\n経：03-3333-4444"
    partner.full_clean()


def test_campus_unique_name_per_kind():
    CampusFactory(name="東京校")
    with pytest.raises(IntegrityError), transaction.atomic():
        CampusFactory(name="東京校")


def test_office_cannot_be_its_own_parent_or_under_a_school():
    office = RegionalOfficeFactory()
    office.parent = office
    with pytest.raises(ValidationError) as exc:
        office.full_clean()
    assert "自分自身" in str(exc.value)
    school = RegionalOfficeFactory(kind=RegionalOffice.Kind.UNIVERSITY)
    child = RegionalOfficeFactory.build(code="child", parent=school)
    with pytest.raises(ValidationError) as exc:
        child.full_clean()
    assert "本部または地域本部" in str(exc.value)


def test_postal_code_format():
    office = RegionalOfficeFactory.build(code="x", postal_code="1058453")
    with pytest.raises(ValidationError) as exc:
        office.full_clean()
    assert "123-4567" in str(exc.value)


@pytest.mark.parametrize(
    "number", ["03-5470-1564", "0570-099-660", "0570-060515", "050-5541-7171", "0166-65-1200"]
)
def test_japanese_phone_numbers(number):
    assert is_phone_number(number)


@pytest.mark.parametrize(
    "number", ["03-5470-156", "3-5470-1564", "03-5470-15641", "０３-5470-1564"]
)
def test_not_phone_numbers(number):
    assert not is_phone_number(number)


def test_phone_labels_are_parsed():
    phones = parse_phones("全：011-222-2829\n経：011-232-0217\n03-5470-1564")
    assert [(p.label, p.number) for p in phones] == [
        ("全", "011-222-2829"),
        ("経", "011-232-0217"),
        ("", "03-5470-1564"),
    ]
    assert phones[2].tel_uri == "tel:0354701564"


def test_str_and_ordering_everywhere():
    office = RegionalOfficeFactory(name="関東本部")
    assert str(office) == "関東本部"
    section = SectionFactory(name="企業支援課", department=DepartmentFactory(name="経営支援部"))
    assert str(section) == "経営支援部 企業支援課"
    for model in (RegionalOffice, Prefecture, PartnerOrganization):
        assert model._meta.ordering
        assert model._meta.verbose_name != model.__name__.lower()


def test_fax_numbers_are_not_phone_links():
    fax, tel = parse_phones("Fax：042-565-1205\n042-565-1195")
    assert fax.is_fax and not tel.is_fax
