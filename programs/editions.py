"""The yearly cycle of the handbook: start a draft edition (empty or copied from another one)
and publish a draft in one step (the comparison of two editions is programs.changes).

A program is the same program from year to year when it keeps its code (事業コード). Nothing
here deletes a program: a code that the new edition no longer has is reported as 廃止, and its
last version stays in the older edition, which is archived — not removed — when the new one is
published.
"""

from django.db import transaction
from django.utils import timezone

from .models import Edition, Program


class EditionError(Exception):
    """A request the yearly workflow refuses; the message is shown to staff as it is."""


def default_title(year):
    """令和7年度版「中小機構総合ハンドブック」."""
    return f"{Edition(year=year).label}「中小機構総合ハンドブック」"


# --- start --------------------------------------------------------------------------------------


def start_edition(year, *, copy_from=None, title=None):
    """Create the draft edition for `year`; with `copy_from` (an Edition) copy every one of its
    programs, as they are, into the draft. Returns (edition, number of programs copied)."""
    if not 2019 <= year <= 2100:
        raise EditionError("年度は2019～2100の範囲で指定してください（西暦。2025 = 令和7年度）。")
    existing = Edition.objects.filter(year=year).first()
    if existing is not None:
        raise EditionError(
            f"{existing.label}はすでにあります（状態：{existing.get_status_display()}）。"
        )
    with transaction.atomic():
        edition = Edition(
            year=year, title=title or default_title(year), status=Edition.Status.DRAFT
        )
        edition.full_clean()
        edition.save()
        copies = []
        if copy_from is not None:
            for program in Program.objects.filter(edition=copy_from).order_by("pk").iterator():
                program.pk = None
                program.edition = edition
                program.refresh_search_index()
                copies.append(program)
            Program.objects.bulk_create(copies)
    return edition, len(copies)


# --- publish ------------------------------------------------------------------------------------


def publish(edition, *, today=None):
    """Make a draft the current edition: it becomes 公開 (published today) and the edition
    published so far becomes アーカイブ — in one transaction, so either both happen or neither.
    Returns the editions that were archived."""
    with transaction.atomic():
        # Lock the editions so that two publishes (or an import) cannot interleave.
        editions = list(Edition.objects.select_for_update().order_by("year"))
        edition = next((e for e in editions if e.pk == edition.pk), None)
        if edition is None:
            raise EditionError("この版は削除されています。")
        if edition.status == Edition.Status.PUBLISHED:
            raise EditionError(f"{edition.label}はすでに公開されています。")
        if edition.status == Edition.Status.ARCHIVED:
            raise EditionError(
                f"{edition.label}はアーカイブ済みです。公開できるのは下書きの版だけです。"
            )
        published = [e for e in editions if e.status == Edition.Status.PUBLISHED]
        newer = [e for e in published if e.year > edition.year]
        if newer:
            raise EditionError(
                f"{newer[-1].label}が公開中のため、それより古い{edition.label}は公開できません。"
            )
        if not Program.objects.filter(edition=edition).active().exists():
            raise EditionError(f"{edition.label}には掲載中の事業が1件もないため、公開できません。")
        Edition.objects.filter(pk__in=[e.pk for e in published]).update(
            status=Edition.Status.ARCHIVED
        )
        edition.status = Edition.Status.PUBLISHED
        edition.published_on = today or timezone.localdate()
        edition.save(update_fields=["status", "published_on"])
    for e in published:
        e.status = Edition.Status.ARCHIVED
    return published


# --- the public pages ---------------------------------------------------------------------------


def last_version(code):
    """The newest published or archived version of a program that the current edition no longer
    carries: the last edition where it was 掲載中 (or, failing that, where it was recorded)."""
    versions = Program.objects.filter(code=code, edition__in=Edition.objects.public())
    versions = versions.select_related("edition").order_by("-edition__year")
    return versions.active().first() or versions.first()
