from django.core.exceptions import ValidationError
from import_export.widgets import Widget

from contacts.models import Department, PartnerOrganization, Section
from core.wareki import fiscal_year_label
from csvimport.fields import choice, choice_list, date, flag, integer, phone, reference, text
from csvimport.pipeline import ImportRefused, PortalResource

from .changes import compare
from .models import Audience, Chapter, CouncilLabel, Edition, Program, SupportType


class EditionResource(PortalResource):
    year = integer("year", "年度")
    title = text("title", "題名")
    status = choice("status", "状態", Edition.Status.choices, default=Edition.Status.DRAFT)
    published_on = date("published_on", "公開日")

    class Meta:
        model = Edition
        import_id_fields = ["year"]
        fields = ["year", "title", "status", "published_on"]

    # Publishing is one reviewed step (programs.editions.publish): an import never changes an
    # edition's state. A file may bring a published or archived edition only into a database
    # that has no published one yet (restore_bundle, the first load_handbook). The year is the
    # row's key, so an import cannot change it either.
    STATE_COLUMNS = ("状態", "公開日")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.published_in_file = []

    def check_row(self, instance, changes):
        if changes is not None:
            if any(column in self.STATE_COLUMNS for column, _old, _new in changes):
                raise ValidationError(
                    {
                        "status": "状態・公開日は取り込みでは変更できません。版の公開は管理サイトの"
                        "操作「選択した下書きの版を公開する」か python manage.py publish_edition "
                        "で行います。"
                    }
                )
            if instance.is_archived:
                raise ValidationError({"title": instance.frozen_reason})
            return
        if instance.status != Edition.Status.PUBLISHED:
            return
        current = Edition.objects.current()
        if current is not None:
            raise ValidationError(
                {
                    "status": f"公開中の版（{current.label}）があるため、公開の版は取り込めません。"
                    "新しい版は下書きとして取り込み、公開の操作で公開します。"
                }
            )
        if self.published_in_file:
            raise ValidationError(
                {
                    "status": "公開の版が同じファイルに複数あります"
                    f"（{self.published_in_file[0]}）。公開中の版は1つだけです。"
                }
            )
        self.published_in_file.append(instance.label)


class ChapterResource(PortalResource):
    number = integer("number", "章番号")
    name = text("name", "経営課題")

    class Meta:
        model = Chapter
        import_id_fields = ["number"]
        fields = ["number", "name"]


class SupportTypeResource(PortalResource):
    number = integer("number", "番号")
    name = text("name", "支援施策別")

    class Meta:
        model = SupportType
        import_id_fields = ["number"]
        fields = ["number", "name"]


# Where each program column appears besides the CSV: `group` is its admin fieldset, `on_page`
# puts it on the public program page (and so in the public 主な変更点), `open_data` is its key
# in programs.json, `compare=False` leaves it out of the change report between editions (the
# edition itself, the state — new / retired is what the report is about —, the page in the
# printed book, which moves for every program after an inserted one, and editorial notes).
BASIC, INDEX, TARGET, WHO, POINTS, FLOW, RESULTS, CONTACT, NOTE = (
    "基本情報",
    "索引",
    "対象者",
    "対象・地域・地域の相談先",
    "事業のポイント",
    "ご利用の流れ",
    "利用実績",
    "お問合せ先",
    "編集メモ",
)


class ProgramResource(PortalResource):
    edition = reference(
        "edition", "年度", Edition, "year", "ハンドブック版の年度",
        group=BASIC, compare=False, open_data="year",
    )  # fmt: skip
    code = text("code", "事業コード", group=BASIC, open_data="code")
    chapter = reference(
        "chapter", "経営課題", Chapter, "number", "経営課題（章番号）",
        group=BASIC, on_page=True, open_data="chapter",
    )  # fmt: skip
    number = integer("number", "章内番号", group=BASIC, on_page=True, open_data="number")
    name = text("name", "事業・制度名", group=BASIC, on_page=True, open_data="name")
    toc_name = text("toc_name", "目次での表記", group=BASIC)
    tagline = text("tagline", "キャッチコピー", group=BASIC, on_page=True, open_data="tagline")
    support_type = reference(
        "support_type", "支援施策別", SupportType, "name",
        group=BASIC, on_page=True, open_data="support_type",
    )  # fmt: skip
    department = reference(
        "department", "担当部門", Department, "name",
        group=BASIC, on_page=True, open_data="department",
    )  # fmt: skip
    page = integer("page", "掲載ページ", group=BASIC, compare=False, open_data="page")
    index_heading = text("index_heading", "索引見出し", group=INDEX, open_data="index_heading")
    reading = text("reading", "よみ", group=INDEX, open_data="reading")
    target = text("target", "対象者", group=TARGET, on_page=True, open_data="target")
    audience = choice_list(
        "audience", "対象", Audience.choices, group=WHO, on_page=True, open_data="audience"
    )
    area = text("area", "地域", group=WHO, on_page=True, open_data="area")
    partner_kind = choice(
        "partner_kind", "地域の相談先", PartnerOrganization.Kind.choices, default="",
        group=WHO, on_page=True, open_data="partner_kind",
    )  # fmt: skip
    partner_label = choice(
        "partner_label", "協議会の区分", [(v, v) for v in CouncilLabel.values], default="",
        group=WHO, on_page=True, open_data="partner_label",
    )  # fmt: skip
    points = text("points", "事業のポイント", group=POINTS, on_page=True, open_data="points")
    flow = text("flow", "ご利用の流れ", group=FLOW, on_page=True, open_data="flow")
    results = text("results", "利用実績", group=RESULTS, on_page=True, open_data="results")
    period = text("period", "支援期間", group=POINTS, on_page=True, open_data="period")
    fee = text("fee", "費用", group=POINTS, on_page=True, open_data="fee")
    contact_name = text(
        "contact_name", "お問合せ先（部署）", group=CONTACT, on_page=True, open_data="contact_name"
    )
    contact_section = reference(
        "contact_section", "お問合せ先（課・室コード）", Section, "code", "課・室コード",
        group=CONTACT,
    )  # fmt: skip
    contact_phones = phone(
        "contact_phones", "お問合せ先電話番号",
        group=CONTACT, on_page=True, open_data="contact_phones",
    )  # fmt: skip
    contact_email = text(
        "contact_email", "お問合せ先メールアドレス",
        group=CONTACT, on_page=True, open_data="contact_email",
    )  # fmt: skip
    contact_note = text(
        "contact_note", "お問合せ先備考", group=CONTACT, on_page=True, open_data="contact_note"
    )
    urls = text("urls", "URL", group=CONTACT, on_page=True, open_data="urls")
    covid = flag("covid", "新型コロナ関連", group=BASIC)
    status = choice(
        "status", "掲載状態", Program.Status.choices, default=Program.Status.ACTIVE,
        group=BASIC, compare=False,
    )  # fmt: skip
    editorial_note = text("editorial_note", "編集メモ", group=NOTE, compare=False)

    extra_update_fields = ("search_index", "search_name", "search_tagline")

    class Meta:
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
            "audience",
            "area",
            "partner_kind",
            "partner_label",
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

    def __init__(self, edition=None, **kwargs):
        super().__init__(**kwargs)
        self.edition = edition
        if edition is not None:
            self.target = str(edition.year)
            self.target_label = edition.label
            self.fields["edition"].widget = TargetEditionWidget(edition)

    @classmethod
    def for_target(cls, target):
        """Every row into the draft edition of year `target` (the 年度 column blank or that
        year)."""
        try:
            year = int(str(target).strip())
        except ValueError:
            raise ImportRefused(
                f"取り込み先の年度「{target}」は西暦の数字で指定してください。"
            ) from None
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise ImportRefused(
                f"{fiscal_year_label(year)}版（{year}）がありません。先に "
                f"python manage.py start_edition {year} で下書きを作ってください。"
            )
        if not edition.is_draft:
            raise ImportRefused(
                f"{edition.label}は「{edition.get_status_display()}」のため取り込めません。"
                "取り込み先に指定できるのは下書きの版だけです。"
            )
        return cls(edition=edition)

    @classmethod
    def for_confirm(cls, target):
        edition = Edition.objects.filter(year=int(target)).first()
        if edition is None:
            raise ImportRefused(
                f"取り込み先の{fiscal_year_label(int(target))}版は削除されています。"
            )
        return cls(edition=edition)

    def check_target(self):
        if self.edition is None:
            return
        # Checked again when the previewed file is confirmed: the edition may have been published
        # in between. The lock makes a concurrent publish wait for this import (PostgreSQL).
        current = Edition.objects.select_for_update().filter(pk=self.edition.pk).first()
        if current is None or current.status != Edition.Status.DRAFT:
            state = current.get_status_display() if current else "削除済み"
            raise ImportRefused(
                f"{self.edition.label}は「{state}」のため取り込めません。"
                "取り込み先に指定できるのは下書きの版だけです。"
            )

    def prepare_instance(self, instance):
        # Keeps the search column in step even when rows are saved in bulk.
        instance.refresh_search_index()

    def check_row(self, instance, changes):
        # Archived editions are frozen; rows that change nothing are fine (a reload).
        if instance.edition.is_archived:
            raise ValidationError(
                {
                    "edition": f"{instance.edition.label}はアーカイブ済みのため、事業を追加・変更"
                    "できません（アーカイブの版は凍結されています）。"
                }
            )

    def import_notes(self, report, dry_run):
        if self.edition is None:
            return []
        notes = []
        # The file never removes a program: say which of the draft's programs it does not have.
        in_file = {row.key.rpartition(" / ")[2].strip() for row in report.rows}
        others = list(
            Program.objects.filter(edition=self.edition)
            .active()
            .exclude(code__in=in_file)
            .values_list("code", flat=True)
        )
        if others:
            notes.append(
                f"注意：{self.edition.label}には、このファイルにない掲載中の事業が{len(others)}件"
                f"あります（{'、'.join(others[:10])}{' ほか' if len(others) > 10 else ''}）。"
                "廃止にするには、管理サイトで掲載状態を「廃止」にするか、下書きから削除します。"
            )
        if not dry_run:
            diff = compare(self.edition)
            if diff.base is not None:
                notes.append(
                    f"{diff.base.label}からの変更点：{diff.summary()}"
                    f"（詳細：python manage.py diff_edition {self.edition.year}）"
                )
        return notes


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
        raise ValueError(
            f"取り込み先は{self.edition.label}（{self.edition.year}）です。"
            f"「年度」列は空欄か {self.edition.year} にしてください（この行は「{text}」）。"
        )

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value.year)
