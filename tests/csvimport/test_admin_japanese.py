"""The admin speaks Japanese where third-party apps do not: django-axes' app and models, and the
change history's messages (the admin stores its own edits as JSON)."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType

from tests.conftest import body
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_login_throttling_is_listed_in_japanese(client, superuser):
    client.force_login(superuser)
    index = body(client.get("/admin/"))
    assert "ログインの制限" in index and "ログイン試行" in index
    for english in ("Axes", "Access attempts", "Access logs", "Access failures"):
        assert english not in index, english
    AccessAttempt.objects.create(
        username="someone", ip_address="192.0.2.1", user_agent="t", http_accept="*/*",
        path_info="/admin/login/", get_data="", post_data="", failures_since_start=1,
    )  # fmt: skip
    attempts = body(client.get("/admin/axes/accessattempt/"))
    assert "接続元 IP アドレス" in attempts and "試行日時" in attempts
    assert "IP Address" not in attempts


def test_the_change_history_shows_the_sentence_not_json(client, superuser):
    program = ProgramFactory()
    entry = LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(program),
        object_id=str(program.pk),
        object_repr=program.name,
        action_flag=CHANGE,
        change_message=json.dumps([{"changed": {"fields": ["キャッチコピー"]}}]),
    )
    client.force_login(superuser)
    for url in ("/admin/admin/logentry/", f"/admin/admin/logentry/{entry.pk}/change/"):
        html = body(client.get(url))
        assert "キャッチコピー を変更しました。" in html, url
        assert "\\u30ad" not in html and '"changed"' not in html, url


def test_the_edition_list_has_japanese_column_headings(client, superuser):
    from tests.factories import EditionFactory

    EditionFactory()
    client.force_login(superuser)
    html = body(client.get("/admin/programs/edition/"))
    assert "令和6年度版" in html
    assert "LABEL" not in html and ">Label<" not in html


def test_permissions_have_japanese_names(client, superuser):
    from django.contrib.auth.models import Group, Permission

    names = dict(
        Permission.objects.filter(
            codename__in=["add_program", "import_program", "publish_edition", "view_importbatch"]
        ).values_list("codename", "name")
    )
    assert names == {
        "add_program": "事業・制度の追加",
        "import_program": "事業・制度の取り込み",
        "publish_edition": "ハンドブック版の公開",
        "view_importbatch": "CSV取り込み履歴の閲覧",
    }
    group = Group.objects.create(name="確認用")
    client.force_login(superuser)
    html = body(client.get(f"/admin/auth/group/{group.pk}/change/"))
    assert "事業・制度の追加" in html
    assert "Can add 事業・制度" not in html
