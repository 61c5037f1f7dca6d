from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from contacts.models import Prefecture, RegionalOffice

from .models import Chapter, Edition, Program, SupportType


class PageSitemap(Sitemap):
    def items(self):
        return [
            "programs:home",
            "programs:program_list",
            "programs:kana_index",
            "contacts:office_list",
            "contacts:prefecture_finder",
            "programs:open_data",
        ]

    def location(self, item):
        return reverse(item)


class ProgramSitemap(Sitemap):
    """The current edition's programs at their stable address (/programs/<code>/)."""

    def items(self):
        edition = Edition.objects.current()
        if edition is None:
            return Program.objects.none()
        return (
            Program.objects.published(edition)
            .select_related("edition")
            .order_by("chapter__number", "number")
        )

    def location(self, program):
        return reverse("programs:program_detail", args=[program.code])

    def lastmod(self, program):
        return program.edition.published_on


class VocabularySitemap(Sitemap):
    """The list of each chapter (経営課題) and support type (支援施策別)."""

    model = None

    def items(self):
        return self.model.objects.order_by("number")

    def location(self, item):
        return item.get_absolute_url()

    def lastmod(self, item):
        # The current edition's date, looked up once per sitemap (not once per item).
        if not hasattr(self, "_published_on"):
            edition = Edition.objects.current()
            self._published_on = edition.published_on if edition else None
        return self._published_on


class ChapterSitemap(VocabularySitemap):
    model = Chapter


class SupportTypeSitemap(VocabularySitemap):
    model = SupportType


class OfficeSitemap(Sitemap):
    def items(self):
        return RegionalOffice.objects.order_by("order", "code")


class PrefectureSitemap(Sitemap):
    def items(self):
        return Prefecture.objects.order_by("code")


sitemaps = {
    "pages": PageSitemap,
    "programs": ProgramSitemap,
    "chapters": ChapterSitemap,
    "support-types": SupportTypeSitemap,
    "offices": OfficeSitemap,
    "prefectures": PrefectureSitemap,
}
