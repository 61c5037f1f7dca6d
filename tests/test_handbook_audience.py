"""対象・地域・地域の相談先 of all 74 programs, checked against the handbook text.

The expected values and their source lines are in tests/handbook_audience_data.py. Each quoted
source must occur in that program's own page as stored in fixtures/ (whitespace ignored), except
the few lines printed elsewhere in the handbook, listed below with their reason."""

import re

import pytest

from contacts.models import PartnerOrganization
from programs.models import Audience, Program
from tests.handbook_audience_data import PROGRAM_AUDIENCE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]

LABELS = {label: key for key, label in Audience.choices}
SOURCE_RE = re.compile(r"^L(\d+)(?:-(\d+))?「(.+)」$")

# Quotes printed outside the program's page (or in a figure the fixtures leave out).
OUTSIDE_PAGE = {
    # 巻末 legend of the partner table (（全）and（経）)
    "L5976「（全）中小企業活性化全国本部事業」",
    "L5976「（経）経営改善計画策定支援事業」",
    # 巻末 title of the 高度化事業 table
    "L6439「第４章-14　高度化事業 都道府県庁担当課」",
    # the satellite seminar's box text beside a map (a figure, not carried into the fixtures)
    "L4470「サテライト・ゼミは、中小機構が全国各地の」",
    # a label of a phone number in the お問合せ先 (the fixtures keep the number only)
    "L4913「事業者・農業者の皆様」",
}

PAGE_FIELDS = (
    "name", "tagline", "target", "points", "flow", "results", "period", "fee",
    "contact_name", "contact_phones", "contact_note", "urls",
)  # fmt: skip


def squeeze(text):
    return re.sub(r"\s", "", text)


def test_every_program_has_a_row():
    assert len(PROGRAM_AUDIENCE) == 74
    codes = [row[0] for row in PROGRAM_AUDIENCE]
    assert sorted(codes) == sorted(Program.objects.values_list("code", flat=True))


@pytest.mark.parametrize("row", PROGRAM_AUDIENCE, ids=[row[0] for row in PROGRAM_AUDIENCE])
def test_audience_area_and_partner(row):
    code, audience, area, partner_kind, partner_label, sources = row
    program = Program.objects.get(edition__year=2024, code=code)
    assert program.audience_labels == list(audience)
    assert program.audience_keys == [LABELS[label] for label in audience]
    assert program.area_list == list(area)
    assert program.partner_kind == partner_kind
    assert program.partner_label == partner_label
    page = squeeze("".join(getattr(program, name) for name in PAGE_FIELDS))
    assert sources, "every value has a source line"
    for source in sources:
        match = SOURCE_RE.match(source)
        assert match, source
        if source not in OUTSIDE_PAGE:
            assert squeeze(match[3]) in page, f"{code}: {source} is not on its page"
    # Every named area (anything but 全国) is printed on the program's own page.
    for line in area:
        if line != "全国":
            assert squeeze(line) in page, f"{code}: area {line}"


def test_outside_page_quotes_are_all_used():
    used = {s for row in PROGRAM_AUDIENCE for s in row[5]}
    assert OUTSIDE_PAGE <= used


def test_partner_kinds_are_only_where_the_page_says_so():
    kinds = {code: (kind, label) for code, _a, _r, kind, label, _s in PROGRAM_AUDIENCE if kind}
    K = PartnerOrganization.Kind
    assert kinds == {
        "business-succession-national-hq": (K.SUCCESSION, ""),  # L2572-2574
        "sme-revitalization-national-hq": (K.REVITALIZATION, "全"),  # L2612, L5976
        "management-improvement-plan-support": (K.REVITALIZATION, "経"),  # L5976
        "yorozu-support-hub-national-hq": (K.YOROZU, ""),
        # The page names the 協議会 but not （全）/（経）: both numbers are shown.
        "sme-revitalization-fund": (K.REVITALIZATION, ""),  # L2930
        "kodoka-joint-project-loan": (K.ADVANCEMENT, ""),  # L6439
        "sme-advisor-kodoka-dispatch": (K.ADVANCEMENT, ""),  # L3567-3569
    }


def test_non_business_programs_are_told_apart():
    """About 20 of the programs are not for businesses themselves (issue 13)."""
    others = sorted(
        p.code for p in Program.objects.filter(edition__year=2024) if not p.is_for_business
    )
    assert others == [
        "entrepreneurship-education-program",  # 高等学校等 L2054
        "entrepreneurship-education-visiting-class",  # L2090-2093
        "international-exchange",
        "regional-support-organization-support",
        "sme-advisor-kodoka-dispatch",
        "sme-business-conditions-survey",
        "sme-questionnaire-survey",
        "temporary-facility-construction-grant",
        "temporary-facility-utilization-grant",  # 12市町村 L4713
        "town-center-council-support-center",
        "town-center-shopping-street-support",
    ]
    # And 9 are limited to an area (全国 is the rest).
    limited = Program.objects.filter(edition__year=2024).exclude(area="全国").count()
    assert limited == 9
