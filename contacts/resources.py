from import_export import fields

from smrj_portal.importing import PortalResource, choice_field, int_field, ref_field, text_field

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
    code = text_field("code", "コード")
    name = text_field("name", "名称")
    kind = choice_field("kind", "種別", RegionalOffice.Kind.choices)
    parent = ref_field("parent", "所属地域本部コード", RegionalOffice, "code", "事業拠点コード")
    postal_code = text_field("postal_code", "郵便番号")
    address = text_field("address", "所在地")
    building = text_field("building", "建物名")
    phones = text_field("phones", "電話番号")
    order = int_field("order", "表示順")

    class Meta(PortalResource.Meta):
        model = RegionalOffice
        use_bulk = False  # parents are rows of the same file
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
    code = text_field("code", "コード")
    name = text_field("name", "名称")
    kind = choice_field("kind", "種別", Department.Kind.choices)
    office = ref_field("office", "事業拠点コード", RegionalOffice, "code")
    order = int_field("order", "表示順")

    class Meta(PortalResource.Meta):
        model = Department
        import_id_fields = ["code"]
        fields = ["code", "name", "kind", "office", "order"]


class SectionResource(PortalResource):
    code = text_field("code", "コード")
    department = ref_field("department", "担当部門", Department, "name")
    name = text_field("name", "課・室名")
    phones = text_field("phones", "電話番号")
    email = text_field("email", "メールアドレス")

    class Meta(PortalResource.Meta):
        model = Section
        import_id_fields = ["code"]
        fields = ["code", "department", "name", "phones", "email"]


class PrefectureResource(PortalResource):
    code = text_field("code", "都道府県コード")
    name = text_field("name", "都道府県名")
    regional_office = ref_field(
        "regional_office", "管轄の地域本部コード", RegionalOffice, "code", "事業拠点コード"
    )

    class Meta(PortalResource.Meta):
        model = Prefecture
        import_id_fields = ["code"]
        fields = ["code", "name", "regional_office"]


class PartnerOrganizationResource(PortalResource):
    code = text_field("code", "コード")
    prefecture = ref_field("prefecture", "都道府県", Prefecture, "name")
    kind = choice_field("kind", "種別", PartnerOrganization.Kind.choices)
    name = text_field("name", "名称")
    operator = text_field("operator", "設置主体・実施機関")
    phones = text_field("phones", "電話番号")
    order = int_field("order", "表示順")

    class Meta(PortalResource.Meta):
        model = PartnerOrganization
        import_id_fields = ["code"]
        fields = ["code", "prefecture", "kind", "name", "operator", "phones", "order"]


class CampusResource(PortalResource):
    code = text_field("code", "コード")
    name = text_field("name", "名称")
    kind = choice_field("kind", "種別", Campus.Kind.choices)
    postal_code = text_field("postal_code", "郵便番号")
    address = text_field("address", "所在地")
    building = text_field("building", "建物名")
    phone = text_field("phone", "電話番号")
    office = ref_field("office", "担当事業拠点コード", RegionalOffice, "code", "事業拠点コード")
    office_department = text_field("office_department", "担当部署")
    order = int_field("order", "表示順")

    class Meta(PortalResource.Meta):
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


class RegionalDeskResource(PortalResource):
    code = text_field("code", "コード")
    office = ref_field("office", "地域本部コード", RegionalOffice, "code", "事業拠点コード")
    section = text_field("section", "担当課")
    phone = text_field("phone", "電話番号")
    programs = fields.Field(attribute="programs", column_name="担当事業コード")
    program_labels = text_field("program_labels", "担当事業（掲載表記）")
    order = int_field("order", "表示順")

    class Meta(PortalResource.Meta):
        model = RegionalDesk
        use_bulk = False  # programs is a many-to-many column
        import_id_fields = ["code"]
        fields = ["code", "office", "section", "phone", "programs", "program_labels", "order"]

    def __init__(self, **kwargs):
        from programs.widgets import ProgramCodesWidget

        super().__init__(**kwargs)
        self.fields["programs"].widget = ProgramCodesWidget()
