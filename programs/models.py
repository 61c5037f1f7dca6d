import re

from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    RegexValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse

from contacts.models import PartnerOrganization
from core.fields import (
    PERMISSIONS,
    CanonicalTextMixin,
    ChoiceListField,
    PhonesMixin,
    code_validator,
    phones_field,
    split_lines,
)
from core.text import kana_heading, normalize, search_text
from core.wareki import fiscal_year_label


class EditionQuerySet(models.QuerySet):
    def public(self):
        """Published and archived editions: what anyone may read."""
        return self.exclude(status=Edition.Status.DRAFT)

    def visible_to(self, user):
        """Staff also see drafts (marked 下書き on every page)."""
        return self.all() if user.is_staff else self.public()

    def current(self):
        """The edition the public sees: the latest published one (None before the first)."""
        return self.filter(status=Edition.Status.PUBLISHED).order_by("-year").first()


class Edition(CanonicalTextMixin, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "下書き"
        PUBLISHED = "published", "公開"
        ARCHIVED = "archived", "アーカイブ"

    year = models.PositiveSmallIntegerField(
        "年度",
        unique=True,
        validators=[MinValueValidator(2019), MaxValueValidator(2100)],
        help_text="西暦の年度（2024 = 令和6年度）。",
    )
    title = models.CharField("題名", max_length=100)
    status = models.CharField("状態", max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_on = models.DateField("公開日", null=True, blank=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = "ハンドブック版"
        verbose_name_plural = "ハンドブック版"
        default_permissions = (*PERMISSIONS, "publish")
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=2019) & Q(year__lte=2100),
                name="edition_year_range",
                violation_error_message="年度は2019～2100の範囲で入力してください。",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_on__isnull=False),
                name="edition_published_has_date",
                violation_error_message="公開・アーカイブ済みの版には公開日が必要です。",
            ),
            # The public site shows "the" published edition: publishing archives the previous
            # one in the same transaction, and nothing else may leave two of them.
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="edition_one_published",
                violation_error_message="公開中の版はすでにあります。公開中の版は1つだけです。",
            ),
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # The last line of defence (a shell, a script): the admin form and the CSV import refuse
        # the same change earlier, with the same message.
        self.check_frozen_year()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The edition's program list; staff see a draft there too, marked 下書き."""
        return reverse("programs:program_list_year", kwargs={"year": self.year})

    @property
    def label(self):
        """令和6年度版."""
        return f"{fiscal_year_label(self.year)}版"

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

    @property
    def frozen_reason(self):
        """Why nothing of this edition (or its programs) may change; "" while it may."""
        if self.is_archived:
            return (
                f"{self.label}はアーカイブ済みのため変更できません"
                "（アーカイブの版は凍結されています）。"
            )
        return ""

    def check_frozen_year(self):
        """A published or archived edition's year is in its public URLs (/2024/programs/…)."""
        if self.pk is None:
            return
        stored = Edition.objects.filter(pk=self.pk).values_list("year", "status").first()
        if stored is None or stored[0] == self.year or stored[1] == self.Status.DRAFT:
            return
        label = Edition(year=stored[0]).label
        status = self.Status(stored[1]).label
        raise ValidationError(
            {
                "year": f"{label}は「{status}」のため、年度を変更できません"
                "（公開中・アーカイブ済みの版の年度は公開サイトの URL になっています）。"
            }
        )

    def clean(self):
        if self.status != self.Status.DRAFT and self.published_on is None:
            raise ValidationError(
                {"published_on": "公開・アーカイブ済みの版には公開日を入力してください。"}
            )
        self.check_frozen_year()


class VocabularyQuerySet(models.QuerySet):
    def in_handbook_order(self):
        # Spelled out, not left to Meta.ordering: Django drops the model's ordering from a
        # query with GROUP BY (any annotate(Count(...))), and PostgreSQL then returns its rows
        # in any order (第5,4,6,2,1,3章 was seen).
        return self.order_by("number")


class Vocabulary(CanonicalTextMixin, models.Model):
    """A fixed, numbered list the handbook is organised by; the number is the natural key."""

    number = models.PositiveSmallIntegerField(
        "番号", unique=True, validators=[MinValueValidator(1), MaxValueValidator(99)]
    )
    name = models.CharField("名称", max_length=100, unique=True)

    # The list page's filter parameter for this vocabulary (?chapter=5, ?support_type=1).
    filter_param = ""

    objects = VocabularyQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["number"]
        default_permissions = PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="%(class)s_number_positive",
                violation_error_message="番号は1以上で入力してください。",
            ),
        ]

    def get_absolute_url(self):
        return reverse("programs:program_list") + f"?{self.filter_param}={self.number}"


class Chapter(Vocabulary):
    """経営課題: the six chapters of the handbook."""

    filter_param = "chapter"

    class Meta(Vocabulary.Meta):
        verbose_name = "経営課題（章）"
        verbose_name_plural = "経営課題（章）"

    def __str__(self):
        return f"第{self.number}章 {self.name}"


class SupportType(Vocabulary):
    """支援施策別: the five kinds of support."""

    filter_param = "support_type"

    class Meta(Vocabulary.Meta):
        verbose_name = "支援施策別"
        verbose_name_plural = "支援施策別"

    def __str__(self):
        return self.name


class ProgramQuerySet(models.QuerySet):
    def active(self):
        """掲載中 programs (not 廃止), in any edition."""
        return self.filter(status=Program.Status.ACTIVE)

    def published(self, edition):
        """What the public may see of an edition: its active programs, if the edition is
        published or archived. Drafts (and no edition at all) show nothing."""
        if edition is None or edition.is_draft:
            return self.none()
        return self.active().filter(edition=edition)

    def in_handbook_order(self):
        return self.order_by("chapter__number", "number")

    def for_listing(self):
        return self.select_related("chapter", "support_type", "department", "edition")


AREA_MAX_LENGTH = 500
AREA_TOO_LONG = f"地域は{AREA_MAX_LENGTH}文字以内で入力してください。"

# Kana headings of the handbook's 索引.
index_heading_validator = RegexValidator(
    r"^[\u3041-\u309fA-Za-z]{1,2}$", "索引見出しはひらがな1文字（例：あ）で入力してください。"
)
reading_validator = RegexValidator(
    r"^[\u3041-\u309f\u30fc0-9a-zA-Z・　 ]*$", "よみはひらがなで入力してください。"
)


class Audience(models.TextChoices):
    """Who a program is for: the fixed vocabulary its 対象 is recorded in (from the handbook's
    対象者 text; see fixtures/README.md)."""

    SME = "sme", "中小企業・小規模事業者"
    STARTUP = "startup", "創業予定者・創業者"
    SUPPORTER = "supporter", "支援機関"
    LOCAL_GOVERNMENT = "local-government", "地方公共団体"
    SCHOOL = "school", "学校・教育機関"
    ASSOCIATION = "association", "組合・団体"
    INDIVIDUAL = "individual", "個人（経営者・役員・従業員）"
    OTHER = "other", "その他"


# Businesses themselves (and those about to start one): what 「事業者向け」 means on the site.
BUSINESS_AUDIENCES = (Audience.SME, Audience.STARTUP)
NATIONWIDE = "全国"


class CouncilLabel(models.TextChoices):
    """The handbook's （全）/（経） marks on 中小企業活性化協議会 numbers (legend L5976)."""

    NATIONAL = "全", "全（中小企業活性化全国本部事業）"
    IMPROVEMENT = "経", "経（経営改善計画策定支援事業）"


class Program(CanonicalTextMixin, PhonesMixin, models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "掲載中"
        RETIRED = "retired", "廃止"

    Audience = Audience

    edition = models.ForeignKey(
        Edition, verbose_name="ハンドブック版", on_delete=models.PROTECT, related_name="programs"
    )
    code = models.CharField(
        "事業コード",
        max_length=60,
        validators=[code_validator],
        help_text="年度をまたいで同じ事業を識別する英数字のコード（例：hands-on-general）。",
    )
    chapter = models.ForeignKey(
        Chapter, verbose_name="経営課題", on_delete=models.PROTECT, related_name="programs"
    )
    number = models.PositiveSmallIntegerField("章内番号", validators=[MinValueValidator(1)])
    name = models.CharField("事業・制度名", max_length=200)
    toc_name = models.CharField(
        "目次での表記", max_length=200, blank=True, help_text="目次の表記が本文と異なる場合のみ。"
    )
    index_heading = models.CharField(
        "索引見出し", max_length=2, blank=True, validators=[index_heading_validator]
    )
    reading = models.CharField("よみ", max_length=200, blank=True, validators=[reading_validator])
    tagline = models.CharField("キャッチコピー", max_length=200, blank=True)
    support_type = models.ForeignKey(
        SupportType, verbose_name="支援施策別", on_delete=models.PROTECT, related_name="programs"
    )
    department = models.ForeignKey(
        "contacts.Department",
        verbose_name="担当部門",
        on_delete=models.PROTECT,
        related_name="programs",
    )
    page = models.PositiveSmallIntegerField("掲載ページ", null=True, blank=True)
    target = models.TextField("対象者", blank=True)
    points = models.TextField("事業のポイント", blank=True)
    flow = models.TextField("ご利用の流れ", blank=True)
    results = models.TextField("利用実績", blank=True)
    period = models.TextField("支援期間", blank=True)
    fee = models.TextField("費用", blank=True)
    contact_section = models.ForeignKey(
        "contacts.Section",
        verbose_name="お問合せ先（課・室）",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
    )
    contact_name = models.TextField(
        "お問合せ先（部署）",
        blank=True,
        help_text="お問合せ先の部署名を掲載どおりに（例：経営支援部 企業支援課）。",
    )
    contact_phones = phones_field("お問合せ先電話番号")
    contact_email = models.EmailField("お問合せ先メールアドレス", blank=True)
    contact_note = models.TextField("お問合せ先備考", blank=True)
    urls = models.TextField("URL", blank=True, help_text="ページに掲載のURLを1行に1件。")
    audience = ChoiceListField(
        "対象",
        blank=True,
        vocabulary=Audience.choices,
        help_text="ハンドブックの対象者欄などに書かれた利用者の区分。空欄はハンドブックに記載がないこと。",
    )
    area = models.TextField(
        "地域",
        blank=True,
        # Indexed with the listing's columns (Meta.indexes): an index entry must stay small.
        validators=[MaxLengthValidator(AREA_MAX_LENGTH, AREA_TOO_LONG)],
        help_text="「全国」、またはハンドブックに書かれた都道府県・市町村など（1行に1件）。"
        "空欄はハンドブックに記載がないこと。",
    )
    partner_kind = models.CharField(
        "地域の相談先",
        max_length=30,
        blank=True,
        choices=PartnerOrganization.Kind.choices,
        help_text="ハンドブックがこの事業の相談先として都道府県の関係機関を挙げている場合、その種別。",
    )
    partner_label = models.CharField(
        "協議会の区分",
        max_length=1,
        blank=True,
        choices=CouncilLabel.choices,
        help_text="地域の相談先が中小企業活性化協議会のとき、（全）（経）のどちらの番号か。"
        "空欄なら両方を案内します。",
    )
    covid = models.BooleanField("新型コロナウイルス感染症関連", default=False)
    status = models.CharField(
        "掲載状態", max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    editorial_note = models.TextField(
        "編集メモ",
        blank=True,
        help_text="ハンドブック内の表記ゆれなど。公開ページには表示しません。",
    )
    search_index = models.TextField("検索用テキスト", blank=True, editable=False)
    search_name = models.TextField("検索用の名称", blank=True, editable=False)
    search_tagline = models.TextField("検索用のキャッチコピー", blank=True, editable=False)

    objects = ProgramQuerySet.as_manager()

    phones_attribute = "contact_phones"

    class Meta:
        ordering = ["edition", "chapter__number", "number"]
        verbose_name = "事業・制度"
        verbose_name_plural = "事業・制度"
        default_permissions = PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="program_unique_code_per_edition",
                violation_error_message="この版には同じ事業コードの事業がすでにあります。",
            ),
            models.UniqueConstraint(
                fields=["edition", "chapter", "number"],
                name="program_unique_number_per_chapter",
                violation_error_message="この版の同じ章に同じ番号の事業がすでにあります。",
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="program_number_positive",
                violation_error_message="章内番号は1以上で入力してください。",
            ),
        ]
        indexes = [
            # Everything the list page reads to count its facets and to pick a page's keys
            # (filtered by edition and status, ordered by chapter and number): answered from
            # the index alone, without reading each program's texts. See bench/README.md.
            models.Index(
                fields=[
                    "edition",
                    "status",
                    "chapter",
                    "number",
                    "support_type",
                    "department",
                    "area",
                    "audience",
                    "id",
                ],  # fmt: skip
                name="program_listing",
            ),
        ]

    def __str__(self):
        # Every edition has a program of the same name: the admin's titles, messages and history
        # say which one (「ハンズオン支援事業（IT）— 令和7年度版（下書き）」).
        return f"{self.name} — {self.edition.label}{'（下書き）' if self.edition.is_draft else ''}"

    def save(self, *args, **kwargs):
        self.canonicalize_text()  # before the search column is derived from the text
        self.refresh_search_index()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "programs:program_detail_year",
            kwargs={"year": self.edition.year, "code": self.code},
        )

    def refresh_search_index(self):
        self.search_index = search_text(
            self.name, self.tagline, self.target, self.points, self.area
        )
        self.search_name = search_text(self.name)
        self.search_tagline = search_text(self.tagline)

    @property
    def audience_labels(self):
        return self._meta.get_field("audience").labels(self.audience)

    @property
    def audience_keys(self):
        return split_lines(self.audience)

    @property
    def is_for_business(self):
        return any(key in BUSINESS_AUDIENCES for key in self.audience_keys)

    @property
    def area_list(self):
        return split_lines(self.area)

    @property
    def is_nationwide(self):
        return self.area_list == [NATIONWIDE]

    @property
    def url_list(self):
        return [u.strip() for u in self.urls.splitlines() if u.strip()]

    @property
    def handbook_reference(self):
        return f"{self.edition.label} P.{self.page}" if self.page else self.edition.label

    def clean(self):
        if self.partner_label and self.partner_kind != PartnerOrganization.Kind.REVITALIZATION:
            raise ValidationError(
                {
                    "partner_label": "協議会の区分は、地域の相談先が"
                    "中小企業活性化協議会のときだけ入力します。"
                }
            )
        expected = kana_heading(self.reading)
        if self.index_heading and expected and self.index_heading != expected:
            raise ValidationError(
                {
                    "index_heading": f"索引見出し「{self.index_heading}」がよみ「{self.reading}」の"
                    f"最初の文字（{expected}）と一致しません。"
                }
            )


class SearchSynonym(models.Model):
    """Words the keyword search treats as the same (補助金 = 助成金 = 助成). Staff edit them in the
    admin; every word of a group also finds the others."""

    words = models.TextField(
        "同じ意味として扱う語",
        help_text="「/」または改行で区切って2語以上（例：補助金/助成金/助成）。"
        "全角・半角、大文字・小文字は区別しません。",
    )
    note = models.CharField("メモ", max_length=200, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = "検索の同義語"
        verbose_name_plural = "検索の同義語"

    def __str__(self):
        return " / ".join(self.word_list)

    @property
    def word_list(self):
        return list(
            dict.fromkeys(
                w
                for w in (normalize(p).replace(" ", "") for p in re.split(r"[/／\n]", self.words))
                if w
            )
        )

    def clean(self):
        if len(self.word_list) < 2:
            raise ValidationError({"words": "2語以上を「/」で区切って入力してください。"})

    @classmethod
    def lookup(cls):
        """{word: [its synonyms]} over every group (one query)."""
        found = {}
        for synonym in cls.objects.all():
            words = synonym.word_list
            for word in words:
                found.setdefault(word, [])
                found[word] += [w for w in words if w != word and w not in found[word]]
        return found
