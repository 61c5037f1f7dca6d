"""The programs desks name by code (contacts.directory), answered from the programs' editions."""

from django.db.models import Q
from django.urls import reverse

from contacts.directory import ProgramDirectory as BaseDirectory

from .models import NATIONWIDE, Edition, Program
from .public import current_edition


class ProgramDirectory(BaseDirectory):
    def current_edition(self, request):
        return current_edition(request)

    def published(self, request, codes):
        programs = (
            Program.objects.published(current_edition(request))
            .filter(code__in=list(codes))
            .select_related("chapter", "edition")
        )
        found = {}
        for program in programs:
            program.public_url = reverse("programs:program_detail", args=[program.code])
            found[program.code] = program
        return found

    def usable_in(self, request, prefecture):
        programs = Program.objects.published(current_edition(request))
        names = Q(area__contains=prefecture.name)
        office = prefecture.regional_office
        if office is not None:
            names |= Q(area__contains=office.name)
        local = list(
            programs.exclude(area=NATIONWIDE)
            .filter(names)
            .select_related("chapter", "support_type")
            .in_handbook_order()
        )
        for program in local:
            program.public_url = reverse("programs:program_detail", args=[program.code])
        nationwide = programs.filter(area=NATIONWIDE).count()
        return local, nationwide, reverse("programs:program_list") + "?area=national"

    def reference_edition(self):
        """Desk codes are checked against the current edition (or, before anything is
        published, the latest one)."""
        return Edition.objects.current() or Edition.objects.order_by("-year").first()

    def known_codes(self):
        edition = self.reference_edition()
        return set(Program.objects.filter(edition=edition).values_list("code", flat=True))

    def unknown_message(self, codes):
        edition = self.reference_edition()
        return f"事業コード「{'」「'.join(codes)}」は{edition or 'どの版'}に登録されていません。"
