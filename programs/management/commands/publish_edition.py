from django.core.management.base import BaseCommand, CommandError

from core.wareki import fiscal_year_label
from programs.changes import compare
from programs.editions import EditionError, publish
from programs.models import Edition


class Command(BaseCommand):
    help = (
        "下書きの版を公開します。公開中の版はアーカイブになります（年度付きのURLで引き続き閲覧"
        "できます）。切り替えは1つのトランザクションで行い、途中で失敗した場合は何も変更しません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="公開する下書きの版の年度（西暦）")

    def handle(self, *args, year, **options):
        edition = Edition.objects.filter(year=year).first()
        if edition is None:
            raise CommandError(f"{fiscal_year_label(year)}版（{year}）がありません。")
        diff = compare(edition) if edition.is_draft else None
        try:
            archived = publish(edition)
        except EditionError as exc:
            raise CommandError(str(exc)) from None
        edition.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"{edition.label}を公開しました（公開日：{edition.published_on:%Y-%m-%d}）。"
            )
        )
        for old in archived:
            self.stdout.write(f"{old.label}はアーカイブになりました（/{old.year}/programs/）。")
        if diff is not None and diff.base is not None:
            self.stdout.write(f"{diff.base.label}からの変更点：{diff.summary()}")
