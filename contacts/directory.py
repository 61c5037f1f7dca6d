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
        `name`, `chapter.number`, `number` and `get_absolute_url()`."""
        return {}

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
