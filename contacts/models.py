import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse

from core.fields import (
    PERMISSIONS,
    CanonicalTextMixin,
    PhonesMixin,
    code_field,
    code_validator,
    phones_field,
    postal_code_validator,
)
from core.phones import validate_phones


class RegionalOffice(CanonicalTextMixin, PhonesMixin, models.Model):
    class Kind(models.TextChoices):
        HEADQUARTERS = "本部", "本部"
        REGIONAL = "地域本部", "地域本部"
        OFFICE = "事務所", "事務所"
        CENTER = "支援センター", "支援センター"
        AREA_MANAGER = "エリアマネージャー事務所", "エリアマネージャー事務所"
        UNIVERSITY = "中小企業大学校", "中小企業大学校"
        OTHER = "その他", "その他"

    code = code_field()
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="所属地域本部",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    building = models.CharField("建物名", max_length=200, blank=True)
    phones = phones_field()
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "事業拠点"
        verbose_name_plural = "事業拠点"
        default_permissions = PERMISSIONS

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:office_detail", kwargs={"code": self.code})

    def clean(self):
        if self.parent_id is None:
            return
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": "事業拠点を自分自身の下に置くことはできません。"})
        if self.parent.kind not in (self.Kind.HEADQUARTERS, self.Kind.REGIONAL):
            raise ValidationError({"parent": "所属先には本部または地域本部を選んでください。"})


class DepartmentQuerySet(models.QuerySet):
    def in_handbook_order(self):
        # Explicit: an annotate(Count(...)) query drops Meta.ordering (see programs' chapters).
        return self.order_by("order", "code")


class Department(CanonicalTextMixin, models.Model):
    class Kind(models.TextChoices):
        HEAD_OFFICE = "本部部門", "本部部門"
        REGIONAL = "地域本部", "地域本部"
        OTHER = "その他", "その他"

    code = code_field()
    name = models.CharField("名称", max_length=100, unique=True)
    kind = models.CharField("種別", max_length=10, choices=Kind.choices, default=Kind.HEAD_OFFICE)
    office = models.ForeignKey(
        RegionalOffice,
        verbose_name="事業拠点",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="departments",
        help_text="地域本部が担当部門となる事業では、その地域本部を選びます。",
    )
    editor_group = models.OneToOneField(
        "auth.Group",
        verbose_name="編集者グループ",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="department",
        help_text="このグループの職員は、この部門が担当する事業だけを編集できます。",
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "担当部門"
        verbose_name_plural = "担当部門"
        default_permissions = PERMISSIONS

    def __str__(self):
        return self.name


class Section(CanonicalTextMixin, PhonesMixin, models.Model):
    code = code_field()
    department = models.ForeignKey(
        Department, verbose_name="担当部門", on_delete=models.PROTECT, related_name="sections"
    )
    name = models.CharField("課・室名", max_length=100)
    phones = phones_field()
    email = models.EmailField("メールアドレス", blank=True)

    class Meta:
        ordering = ["department__order", "department__code", "code"]
        verbose_name = "課・室"
        verbose_name_plural = "課・室"
        default_permissions = PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="section_unique_name_per_department",
                violation_error_message="同じ担当部門に同じ名前の課・室がすでに登録されています。",
            ),
        ]

    def __str__(self):
        return f"{self.department.name} {self.name}"


class Prefecture(CanonicalTextMixin, models.Model):
    code = models.CharField(
        "都道府県コード",
        max_length=2,
        unique=True,
        validators=[
            # Mirrors prefecture_jis_code_range, so an import catches it without a query.
            RegexValidator(
                r"^(0[1-9]|[1-3][0-9]|4[0-7])$", "都道府県コードは01～47の2桁で入力してください。"
            )
        ],
    )
    name = models.CharField("都道府県名", max_length=10, unique=True)
    regional_office = models.ForeignKey(
        RegionalOffice,
        verbose_name="管轄の地域本部",
        on_delete=models.PROTECT,
        related_name="prefectures",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "都道府県"
        verbose_name_plural = "都道府県"
        default_permissions = PERMISSIONS
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__gte="01") & models.Q(code__lte="47"),
                name="prefecture_jis_code_range",
                violation_error_message="都道府県コードは01～47の範囲で入力してください。",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contacts:prefecture_detail", kwargs={"code": self.code})


class PartnerOrganization(CanonicalTextMixin, PhonesMixin, models.Model):
    class Kind(models.TextChoices):
        SUCCESSION = "事業承継・引継ぎ支援センター", "事業承継・引継ぎ支援センター"
        REVITALIZATION = "中小企業活性化協議会", "中小企業活性化協議会"
        YOROZU = "よろず支援拠点", "よろず支援拠点"
        ADVANCEMENT = "高度化事業 都道府県庁担当課", "高度化事業 都道府県庁担当課"

    code = code_field()
    prefecture = models.ForeignKey(
        Prefecture, verbose_name="都道府県", on_delete=models.PROTECT, related_name="partners"
    )
    kind = models.CharField("種別", max_length=30, choices=Kind.choices)
    name = models.CharField("名称", max_length=150)
    operator = models.CharField("設置主体・実施機関", max_length=150, blank=True)
    phones = phones_field()
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["prefecture__code", "order", "code"]
        verbose_name = "関係機関"
        verbose_name_plural = "関係機関"
        default_permissions = PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["prefecture", "kind", "name"],
                name="partner_unique_name_per_kind",
                violation_error_message="この都道府県には同じ種別・名称の関係機関がすでに登録されています。",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # （全） and （経） numbers serve different national programs; an unlabelled council
        # number would send callers to the wrong desk.
        if self.kind == self.Kind.REVITALIZATION:
            unlabelled = [p.number for p in self.phone_list if p.label not in ("全", "経")]
            if unlabelled:
                raise ValidationError(
                    {
                        "phones": "中小企業活性化協議会の電話番号には"
                        "「全：」（中小企業活性化全国本部事業）または「経：」（経営改善計画策定支援事業）のラベルを付けてください："
                        + "、".join(unlabelled)
                    }
                )


class RegionalDeskQuerySet(models.QuerySet):
    def in_handbook_order(self):
        return self.order_by("office__order", "office__code", "order", "code")

    def for_program(self, code):
        """The desks that answer for the program with this code (in any edition)."""
        return self.filter(program_codes__regex=rf"(^|\n){re.escape(code)}(\n|$)")


class RegionalDesk(CanonicalTextMixin, PhonesMixin, models.Model):
    """A row of the handbook's 「地域本部／関係機関」お問合せ先一覧."""

    phones_attribute = "phone"

    code = code_field()
    office = models.ForeignKey(
        RegionalOffice, verbose_name="地域本部", on_delete=models.PROTECT, related_name="desks"
    )
    section = models.CharField("担当課", max_length=100, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True, validators=[validate_phones])
    program_codes = models.TextField(
        "担当事業コード",
        blank=True,
        help_text="この窓口が担当する事業の事業コードを1行に1件（年度をまたいで同じ事業を指します）。",
    )
    program_labels = models.TextField(
        "担当事業（掲載表記）",
        blank=True,
        help_text="ハンドブックの一覧に印刷された事業名を1行に1件。",
    )
    order = models.PositiveSmallIntegerField("表示順", default=0)

    objects = RegionalDeskQuerySet.as_manager()

    class Meta:
        ordering = ["office__order", "office__code", "order", "code"]
        verbose_name = "地域本部お問合せ窓口"
        verbose_name_plural = "地域本部お問合せ窓口"
        default_permissions = PERMISSIONS

    def __str__(self):
        return f"{self.office.name} {self.section}"

    @property
    def code_list(self):
        return [c.strip() for c in self.program_codes.splitlines() if c.strip()]

    def clean(self):
        # Whether each code names a program is checked where a query per file (import) or per
        # form (admin) is acceptable: contacts.forms.RegionalDeskForm and the CSV widget.
        for code in self.code_list:
            try:
                code_validator(code)
            except ValidationError:
                raise ValidationError(
                    {"program_codes": f"事業コード「{code}」の形式が正しくありません。"}
                ) from None


class Campus(CanonicalTextMixin, PhonesMixin, models.Model):
    class Kind(models.TextChoices):
        UNIVERSITY = "中小企業大学校", "中小企業大学校"
        CAMPUS = "研修キャンパス", "地域本部・都市部での研修キャンパス"

    code = code_field()
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    postal_code = models.CharField(
        "郵便番号", max_length=8, blank=True, validators=[postal_code_validator]
    )
    address = models.CharField("所在地", max_length=200, blank=True)
    building = models.CharField("建物名", max_length=200, blank=True)
    phone = models.CharField("電話番号", max_length=20, blank=True, validators=[validate_phones])
    office = models.ForeignKey(
        RegionalOffice,
        verbose_name="担当事業拠点",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campuses",
    )
    office_department = models.CharField("担当部署", max_length=100, blank=True)
    order = models.PositiveSmallIntegerField("表示順", default=0)

    class Meta:
        ordering = ["kind", "order", "code"]
        verbose_name = "中小企業大学校・研修キャンパス"
        verbose_name_plural = "中小企業大学校・研修キャンパス"
        default_permissions = PERMISSIONS
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "name"],
                name="campus_unique_name_per_kind",
                violation_error_message="同じ種別・名称の大学校・キャンパスがすでに登録されています。",
            ),
        ]

    phones_attribute = "phone"

    def __str__(self):
        return self.name
