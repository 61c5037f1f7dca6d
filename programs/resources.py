from django.core.exceptions import ValidationError
from import_export import fields
from import_export.widgets import Widget

from contacts.models import Department, Section
from smrj_portal import widgets
from smrj_portal.importing import PortalResource, choice_field, int_field, ref_field, text_field

from .models import Chapter, Edition, Program, SupportType


class EditionResource(PortalResource):
    year = int_field("year", "年度")
    title = text_field("title", "題名")
    status = choice_field("status", "状態", Edition.Status.choices, default=Edition.Status.DRAFT)
    published_on = fields.Field(
        attribute="published_on", column_name="公開日", widget=widgets.DateWidget()
    )

    class Meta(PortalResource.Meta):
        model = Edition
        import_id_fields = ["year"]
        fields = ["year", "title", "status", "published_on"]


class ChapterResource(PortalResource):
    number = int_field("number", "章番号")
    name = text_field("name", "経営課題")

    class Meta(PortalResource.Meta):
        model = Chapter
        import_id_fields = ["number"]
        fields = ["number", "name"]


class SupportTypeResource(PortalResource):
    number = int_field("number", "番号")
    name = text_field("name", "支援施策別")

    class Meta(PortalResource.Meta):
        model = SupportType
        import_id_fields = ["number"]
        fields = ["number", "name"]


class ProgramResource(PortalResource):
    edition = ref_field("edition", "年度", Edition, "year", "ハンドブック版の年度")
    code = text_field("code", "事業コード")
    chapter = ref_field("chapter", "経営課題", Chapter, "number", "経営課題（章番号）")
    number = int_field("number", "章内番号")
    name = text_field("name", "事業・制度名")
    toc_name = text_field("toc_name", "目次での表記")
    tagline = text_field("tagline", "キャッチコピー")
    support_type = ref_field("support_type", "支援施策別", SupportType, "name")
    department = ref_field("department", "担当部門", Department, "name")
    page = int_field("page", "掲載ページ")
    index_heading = text_field("index_heading", "索引見出し")
    reading = text_field("reading", "よみ")
    target = text_field("target", "対象者")
    points = text_field("points", "事業のポイント")
    flow = text_field("flow", "ご利用の流れ")
    results = text_field("results", "利用実績")
    period = text_field("period", "支援期間")
    fee = text_field("fee", "費用")
    contact_name = text_field("contact_name", "お問合せ先（部署）")
    contact_section = ref_field(
        "contact_section", "お問合せ先（課・室コード）", Section, "code", "課・室コード"
    )
    contact_phones = text_field("contact_phones", "お問合せ先電話番号")
    contact_email = text_field("contact_email", "お問合せ先メールアドレス")
    contact_note = text_field("contact_note", "お問合せ先備考")
    urls = text_field("urls", "URL")
    covid = fields.Field(
        attribute="covid", column_name="新型コロナ関連", widget=widgets.FlagWidget()
    )
    status = choice_field(
        "status", "掲載状態", Program.Status.choices, default=Program.Status.ACTIVE
    )
    editorial_note = text_field("editorial_note", "編集メモ")

    class Meta(PortalResource.Meta):
        model = Program
        import_id_fields = ["edition", "code"]
        fields = [
            "edition",
            "code",
            "chapter",
            "number",
            "name",
            "toc_name",
            "tagline",
            "support_type",
            "department",
            "page",
            "index_heading",
            "reading",
            "target",
            "points",
            "flow",
            "results",
            "period",
            "fee",
            "contact_name",
            "contact_section",
            "contact_phones",
            "contact_email",
            "contact_note",
            "urls",
            "covid",
            "status",
            "editorial_note",
        ]

    def get_bulk_update_fields(self):
        return [*super().get_bulk_update_fields(), "search_index"]

    # The draft edition every row goes into (ProgramResource(edition=…) or for_edition()).
    target_edition = None

    def __init__(self, edition=None, **kwargs):
        super().__init__(**kwargs)
        self.edition = edition or self.target_edition
        if self.edition is not None:
            self.fields["edition"] = fields.Field(
                attribute="edition", column_name="年度", widget=TargetEditionWidget(self.edition)
            )

    @classmethod
    def for_edition(cls, edition):
        """A resource class that imports into `edition` (for code that makes its own resource
        instances, such as record_preview and apply_batch)."""
        return type(
            f"{cls.__name__}{edition.year}",
            (cls,),
            {"target_edition": edition, "__module__": cls.__module__},
        )

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if self.edition is None:
            return
        # Checked again when the previewed file is confirmed: the edition may have been published
        # in between. The lock makes a concurrent publish wait for this import (PostgreSQL).
        current = Edition.objects.select_for_update().filter(pk=self.edition.pk).first()
        if current is None or current.status != Edition.Status.DRAFT:
            headers = dataset.headers
            dataset.wipe()  # no row is even looked at
            dataset.headers = headers
            state = current.get_status_display() if current else "削除済み"
            raise ValueError(
                f"{self.edition.label}は「{state}」のため取り込めません。"
                "取り込み先に指定できるのは下書きの版だけです。"
            )

    def before_save_instance(self, instance, row, **kwargs):
        # Keeps the search column in step even when rows are saved in bulk.
        instance.refresh_search_index()


class TargetEditionWidget(Widget):
    """The 年度 column when a file is imported into a chosen edition: blank means that edition;
    any other year is an error (a file meant for another year is never silently moved)."""

    def __init__(self, edition):
        self.edition = edition
        super().__init__()

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if text in ("", str(self.edition.year)):
            return self.edition
        raise ValidationError(
            {
                "edition": f"取り込み先は{self.edition.label}（{self.edition.year}）です。"
                f"「年度」列は空欄か {self.edition.year} にしてください（この行は「{text}」）。"
            }
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.year)
