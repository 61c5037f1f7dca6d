"""What contacts needs to know about programs, without importing them.

Desks name the programs they answer for by their stable code (事業コード); the public pages show
those programs by name and link. The programs app provides the answers: settings
CONTACTS_PROGRAM_DIRECTORY names a class with the methods of `ProgramDirectory` below, which is
also what is used when no programs app is installed (no program is known).
"""

from django.conf import settings
from django.utils.module_loading import import_string


class ProgramDirectory:
    def current_edition(self, request):
        """The edition the request's visitor sees (None before the first is published)."""
        return None

    def published(self, request, codes):
        """{code: program} of the visitor's edition for these codes. A program has `code`,
        `name`, `chapter.number`, `number`, `public_url`, `contact_name`, `phone_list`, and
        `partner_kind` (a PartnerOrganization.Kind value, or "" when the handbook names no local
        partner for it) with `partner_label` (全 / 経 for a 中小企業活性化協議会, else "")."""
        return {}

    def usable_in(self, request, prefecture):
        """The visitor's programs limited to an area that names this prefecture (or its
        地域本部), and the number of nationwide programs with the list URL that shows them:
        ([program, …], count, url). Two queries at most."""
        return [], 0, ""

    def known_codes(self):
        """Every code a desk may name (those of the reference edition): one query."""
        return set()

    def unknown_message(self, codes):
        return f"事業コード「{'」「'.join(codes)}」は登録されていません。"


def get():
    path = getattr(settings, "CONTACTS_PROGRAM_DIRECTORY", "")
    return import_string(path)() if path else ProgramDirectory()


def unknown_codes(codes, known=None):
    """The codes (in their order) that name no program; `known` saves the query when given."""
    known = get().known_codes() if known is None else known
    return [code for code in codes if code not in known]
