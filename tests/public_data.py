"""A generated directory of any size (factory_boy + bulk_create), shaped like the handbook: six
chapters, five support types, departments, 地域本部 with desks linked to many programs, prefectures
with their four kinds of partners, and 中小企業大学校."""

from dataclasses import dataclass

from contacts.models import Campus, PartnerOrganization, Prefecture
from programs.models import Program
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
    SupportTypeFactory,
)

HEADINGS = (
    "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"
)


@dataclass
class Directory:
    program_code: str
    office_code: str
    prefecture_code: str


def build_directory(count: int, year: int = 2024) -> Directory:
    edition = EditionFactory(year=year)
    chapters = [ChapterFactory(number=n) for n in range(1, 7)]
    support_types = [SupportTypeFactory(number=n) for n in range(1, 6)]
    departments = DepartmentFactory.create_batch(8)
    offices = RegionalOfficeFactory.create_batch(3)

    programs = []
    for i in range(count):
        heading = HEADINGS[i % len(HEADINGS)]
        program = ProgramFactory.build(
            edition=edition,
            chapter=chapters[i % 6],
            number=i // 6 + 1,
            support_type=support_types[i % 5],
            department=departments[i % 8],
            name=f"テスト支援事業{i:04d}",
            index_heading=heading,
            reading=f"{heading}てすとしえんじぎょう{i:04d}",
            tagline=f"ＩＴ導入テスト{i}" if i % 10 == 0 else "テスト用のキャッチコピー",
            contact_name="テスト支援部　テスト課",
            contact_phones="03-0000-0004\n代表：03-0000-0005",
            period="３か月程度" if i % 3 == 0 else "",
            fee="無料" if i % 3 == 0 else "",
            flow="（１）相談\nお電話でご相談ください。",
            results="全国で10件（令和５年度）",
            urls="https://www.smrj.go.jp/",
            audience="sme\nsupporter" if i % 4 == 0 else "sme",
            area="全国" if i % 7 else "テスト県",
        )
        program.refresh_search_index()
        programs.append(program)
    programs = Program.objects.bulk_create(programs, batch_size=500)

    # Four desks per office, each handling a quarter of all programs (≈ count / 4 links each).
    for office in offices:
        for d in range(4):
            RegionalDeskFactory(
                office=office,
                order=d,
                program_labels="\n".join(
                    f"第{p.chapter.number}章-{p.number} {p.name}" for p in programs[d::4][:50]
                ),
                program_codes="\n".join(p.code for p in programs[d::4]),
            )

    prefectures = [
        PrefectureFactory(code=f"{n:02d}", name=f"テスト県{n:02d}", regional_office=offices[n % 3])
        for n in range(1, 10)
    ]
    partners = []
    for prefecture in prefectures:
        for order, kind in enumerate(PartnerOrganization.Kind.values):
            phones = "全：03-0000-0006\n経：03-0000-0007" if "活性化" in kind else "03-0000-0006"
            partners.append(
                PartnerOrganizationFactory.build(
                    prefecture=prefecture, kind=kind, order=order, phones=phones
                )
            )
    PartnerOrganization.objects.bulk_create(partners)
    for n, prefecture in enumerate(prefectures[:2]):
        CampusFactory(kind=Campus.Kind.UNIVERSITY, address=f"{prefecture.name}テスト市1-1", order=n)
    CampusFactory(kind=Campus.Kind.UNIVERSITY, address="", name="web校", order=9)
    CampusFactory(kind=Campus.Kind.CAMPUS, office=offices[0], address="")

    return Directory(
        program_code=programs[0].code,
        office_code=offices[0].code,
        prefecture_code=Prefecture.objects.filter(regional_office=offices[0]).first().code,
    )
