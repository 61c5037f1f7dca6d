from import_export.widgets import Widget

from csvimport.fields import Column, choice, integer, padded_code, phone, reference, text
from csvimport.pipeline import PortalResource

from . import directory
from .models import (
    Campus,
    Department,
    PartnerOrganization,
    Prefecture,
    RegionalDesk,
    RegionalOffice,
    Section,
)


class RegionalOfficeResource(PortalResource):
    code = text("code", "コード")
    name = text("name", "名称")
    kind = choice("kind", "種別", RegionalOffice.Kind.choices)
    parent = reference("parent", "所属地域本部コード", RegionalOffice, "code", "事業拠点コード")
    postal_code = text("postal_code", "郵便番号")
    address = text("address", "所在地")
    building = text("building", "建物名")
    phones = phone("phones", "電話番号")
    order = integer("order", "表示順")

    save_each_row = True  # parents are rows of the same file

    class Meta:
        model = RegionalOffice
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "postal_code",
            "address",
            "building",
            "phones",
            "order",
        ]


class DepartmentResource(PortalResource):
    code = text("code", "コード")
    name = text("name", "名称")
    kind = choice("kind", "種別", Department.Kind.choices)
    office = reference("office", "事業拠点コード", RegionalOffice, "code")
    order = integer("order", "表示順")

    class Meta:
        model = Department
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "office", "order"]


class SectionResource(PortalResource):
    code = text("code", "コード")
    department = reference("department", "担当部門", Department, "name")
    name = text("name", "課・室名")
    phones = phone("phones", "電話番号")
    email = text("email", "メールアドレス")

    class Meta:
        model = Section
        import_id_fields = ["code"]
        fields = ["code", "department", "name", "phones", "email"]


class PrefectureResource(PortalResource):
    code = padded_code("code", "都道府県コード", 2)
    name = text("name", "都道府県名")
    regional_office = reference(
        "regional_office", "管轄の地域本部コード", RegionalOffice, "code", "事業拠点コード"
    )

    class Meta:
        model = Prefecture
        import_id_fields = ["code"]
        fields = ["code", "name", "regional_office"]


class PartnerOrganizationResource(PortalResource):
    code = text("code", "コード")
    prefecture = reference("prefecture", "都道府県", Prefecture, "name")
    kind = choice("kind", "種別", PartnerOrganization.Kind.choices)
    name = text("name", "名称")
    operator = text("operator", "設置主体・実施機関")
    phones = phone("phones", "電話番号")
    order = integer("order", "表示順")

    class Meta:
        model = PartnerOrganization
        import_id_fields = ["code"]
        fields = ["code", "prefecture", "kind", "name", "operator", "phones", "order"]


class CampusResource(PortalResource):
    code = text("code", "コード")
    name = text("name", "名称")
    kind = choice("kind", "種別", Campus.Kind.choices)
    postal_code = text("postal_code", "郵便番号")
    address = text("address", "所在地")
    building = text("building", "建物名")
    phone = phone("phone", "電話番号")
    office = reference("office", "担当事業拠点コード", RegionalOffice, "code", "事業拠点コード")
    office_department = text("office_department", "担当部署")
    order = integer("order", "表示順")

    class Meta:
        model = Campus
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "postal_code",
            "address",
            "building",
            "phone",
            "office",
            "office_department",
            "order",
        ]


class ProgramCodesWidget(Widget):
    """事業コード, one per line; every code must name a program (checked once per file)."""

    def __init__(self):
        self.known = None  # read once per file, on the first row that names a program
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        codes = list(dict.fromkeys(c.strip() for c in str(value or "").splitlines() if c.strip()))
        if codes and self.known is None:
            self.known = directory.get().known_codes()
        unknown = directory.unknown_codes(codes, self.known) if codes else []
        if unknown:
            raise ValueError(directory.get().unknown_message(unknown))
        return "\n".join(sorted(codes))

    def render(self, value, obj=None, **kwargs):
        return value or ""


class RegionalDeskResource(PortalResource):
    code = text("code", "コード")
    office = reference("office", "地域本部コード", RegionalOffice, "code", "事業拠点コード")
    section = text("section", "担当課")
    phone = phone("phone", "電話番号")
    program_codes = Column("program_codes", "担当事業コード", ProgramCodesWidget())
    program_labels = text("program_labels", "担当事業（掲載表記）")
    order = integer("order", "表示順")

    class Meta:
        model = RegionalDesk
        import_id_fields = ["code"]
        fields = ["code", "office", "section", "phone", "program_codes", "program_labels", "order"]
