from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from contacts.models import Prefecture, RegionalOffice

from .models import Edition, Program


class PageSitemap(Sitemap):
    def items(self):
        return [
            "programs:home",
            "programs:program_list",
            "programs:kana_index",
            "contacts:office_list",
            "contacts:prefecture_finder",
        ]

    def location(self, item):
        return reverse(item)


class ProgramSitemap(Sitemap):
    """The current edition's programs at their stable address (/programs/<code>/)."""

    def items(self):
        edition = Edition.objects.current()
        if edition is None:
            return Program.objects.none()
        return Program.objects.published(edition).order_by("chapter__number", "number")

    def location(self, program):
        return reverse("programs:program_detail", args=[program.code])


class OfficeSitemap(Sitemap):
    def items(self):
        return RegionalOffice.objects.order_by("order", "code")


class PrefectureSitemap(Sitemap):
    def items(self):
        return Prefecture.objects.order_by("code")


sitemaps = {
    "pages": PageSitemap,
    "programs": ProgramSitemap,
    "offices": OfficeSitemap,
    "prefectures": PrefectureSitemap,
}
