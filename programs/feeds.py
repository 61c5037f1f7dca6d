"""Atom feed of new and changed programs, per published edition (django.contrib.syndication)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from . import changes
from .models import Edition

# Editions in the feed (newest first); each brings its new and changed programs.
EDITIONS_IN_FEED = 3
# The newest entries only, as feeds do: a feed reader polls the whole document, which must not
# grow with the number of programs (an edition of 10,000 new programs made a 5 MB feed). The
# handbook's editions bring at most 74 each; every change stays listed on /<year>/changes/.
MAX_ENTRIES = 100


class ProgramChangesFeed(Feed):
    feed_type = Atom1Feed
    title = "中小機構 支援施策ポータル：支援施策の新規・変更"
    subtitle = "版の公開ごとに、新しく掲載された事業と内容が変わった事業をお知らせします。"

    def link(self):
        return reverse("programs:program_list")

    def items(self):
        editions = Edition.objects.public().filter(published_on__isnull=False).order_by("-year")
        current = Edition.objects.current()
        entries = []
        for edition in editions[:EDITIONS_IN_FEED]:
            if len(entries) >= MAX_ENTRIES:
                break
            diff = changes.compare(edition)
            for change in (*diff.new, *diff.changed):
                change.edition = edition
                change.base = diff.base
                change.is_current = current is not None and edition.pk == current.pk
                entries.append(change)
        return entries[:MAX_ENTRIES]

    def item_title(self, change):
        kind = "新規" if change.kind == "new" else "変更"
        return f"【{change.edition.label}・{kind}】{change.name}"

    def item_description(self, change):
        if change.kind == "new":
            base = f"{change.base.label}にはなかった事業です。" if change.base else ""
            return f"{change.edition.label}に掲載されました。{base}{change.program.tagline}"
        columns = "、".join(f.column for f in change.fields)
        return f"{change.base.label}から変わった項目：{columns}"

    def item_link(self, change):
        if change.is_current:
            return reverse("programs:program_detail", args=[change.code])
        return reverse("programs:program_detail_year", args=[change.edition.year, change.code])

    def item_guid(self, change):
        return f"tag:smrj-portal,{change.edition.year}:{change.kind}:{change.code}"

    item_guid_is_permalink = False

    def item_updateddate(self, change):
        published = change.edition.published_on
        return timezone.make_aware(
            timezone.datetime(published.year, published.month, published.day)
        )

    item_pubdate = item_updateddate
