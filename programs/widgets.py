from import_export.widgets import ManyToManyWidget

from .models import Edition, Program


def reference_edition():
    """Desks list programs by their stable code; codes are resolved in the current edition (or,
    before anything is published, the latest one)."""
    return Edition.objects.current() or Edition.objects.order_by("-year").first()


class ProgramCodesWidget(ManyToManyWidget):
    def __init__(self):
        super().__init__(Program, separator="\n", field="code")

    def clean(self, value, row=None, **kwargs):
        codes = [c.strip() for c in str(value or "").replace("\r", "").split("\n") if c.strip()]
        if not codes:
            return Program.objects.none()
        edition = reference_edition()
        found = {p.code: p for p in Program.objects.filter(edition=edition, code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise ValueError(
                f"事業コード「{'」「'.join(unknown)}」は{edition or 'どの版'}に登録されていません。"
            )
        return Program.objects.filter(pk__in=[found[c].pk for c in codes])

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "\n".join(sorted(p.code for p in value.all()))
