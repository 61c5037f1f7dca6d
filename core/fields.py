"""Model field helpers every app uses: natural codes, phone lists, postal codes, permissions."""

from django.core.validators import RegexValidator
from django.db import models

from .phones import POSTAL_CODE_RE, parse_phones, validate_phones

# Every model staff import also gets "import" and "export" permissions.
PERMISSIONS = ("add", "change", "delete", "view", "import", "export")

code_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]*$", "コードは半角英小文字・数字・ハイフンで入力してください。"
)
postal_code_validator = RegexValidator(
    POSTAL_CODE_RE, "郵便番号は「123-4567」の形式で入力してください。"
)


def code_field(**kwargs):
    return models.CharField(
        "コード", max_length=60, unique=True, validators=[code_validator], **kwargs
    )


def phones_field(verbose_name="電話番号", **kwargs):
    return models.TextField(
        verbose_name,
        blank=True,
        validators=[validate_phones],
        help_text=(
            "1行に1件。「番号」または「ラベル：番号」"
            "（例：代表：03-3433-8811、協議会は 全：011-222-2829）。"
        ),
        **kwargs,
    )


class PhonesMixin:
    """`phone_list` for a model whose `phones` field holds one number per line."""

    phones_attribute = "phones"

    @property
    def phone_list(self):
        return parse_phones(getattr(self, self.phones_attribute))
