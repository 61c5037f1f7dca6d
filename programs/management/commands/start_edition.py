from django.core.management.base import BaseCommand, CommandError

from core.wareki import fiscal_year_label
from programs.editions import EditionError, start_edition
from programs.models import Edition


class Command(BaseCommand):
    help = (
        "新しい年度の版を下書きとして作ります。--copy-from を指定すると、その版の事業をすべて"
        "（事業コードはそのまま）下書きにコピーします。公開サイトには公開するまで表示されません。"
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="新しい版の年度（西暦。2025 = 令和7年度）")
        parser.add_argument(
            "--copy-from", type=int, metavar="年度", help="事業をコピーする元の版の年度"
        )
        parser.add_argument(
            "--title", help="題名（省略時は「令和N年度版「中小機構総合ハンドブック」」）"
        )

    def handle(self, *args, year, copy_from, title, **options):
        source = None
        if copy_from is not None:
            source = Edition.objects.filter(year=copy_from).first()
            if source is None:
                raise CommandError(
                    f"コピー元の{fiscal_year_label(copy_from)}版（{copy_from}）がありません。"
                )
        try:
            edition, count = start_edition(year, copy_from=source, title=title)
        except EditionError as exc:
            raise CommandError(str(exc)) from None
        done = f"{edition.label}（下書き）「{edition.title}」を作成しました"
        if source is not None:
            done += f"：{source.label}の事業{count}件をコピー"
        self.stdout.write(self.style.SUCCESS(done + "。"))
        self.stdout.write(
            "次に：管理サイトで編集するか、"
            f"python manage.py import_csv programs.Program <ファイル> --edition {year} で取り込み、"
            f"python manage.py diff_edition {year} で変更点を確認してから、"
            f"python manage.py publish_edition {year} で公開します。"
        )
