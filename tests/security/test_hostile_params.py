"""Every public parameter is parsed strictly: a value no page of ours sends is answered 400 (or
404 for a page that does not exist), never 500 — on SQLite and on PostgreSQL (which refuses NUL
characters in queries)."""

import pytest

from programs.models import Edition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("handbook")]


@pytest.mark.parametrize(
    "url, status",
    [
        ("/programs/?chapter=%C2%B2", 400),  # ²: a digit to str.isdigit(), not to int()
        ("/programs/?support_type=%E2%91%A0", 400),  # ①
        ("/programs/?chapter=99", 400),
        ("/programs/?chapter=5&support_type=%C2%B2", 400),
        ("/programs/?sort=bogus", 400),
        ("/programs/?department=no-such-department", 400),
        ("/programs/?q=%00", 400),
        ("/programs/?page=abc", 404),
        ("/programs/?page=999", 404),
        ("/2024/programs/?chapter=%C2%B2", 400),
        ("/prefectures/?prefecture=%00", 400),
        ("/prefectures/%00/", 400),
        ("/prefectures/33/?program=%00", 400),
        ("/prefectures/?prefecture=33&program=%00", 400),
        ("/programs/%00/", 400),
        ("/offices/%00/", 400),
        ("/02024/programs/", 404),  # a year in its one spelling only (each would be a page)
        ("/002024/programs/hands-on-it/", 404),
        ("/02024/changes/", 404),
    ],
)
def test_hostile_parameters_never_reach_a_500(client, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    if status == 400:
        # The list explains which conditions it could not read; other pages say so plainly.
        explained = ("条件の一部を読み取れませんでした", "リクエストが正しくありません")
        assert any(text in response.content.decode() for text in explained), url


@pytest.mark.parametrize(
    "host", ["evil.example", "127.0.0.1:abc", "testserver@evil", "evil.example:8000"]
)
@pytest.mark.parametrize("url", ["/", "/index/", "/programs/"])
def test_a_host_we_do_not_serve_is_a_400_not_a_500(client, url, host):
    # The 400 page is made with the same context as every page: it must not ask for the host.
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 400
    assert "リクエストが正しくありません" in response.content.decode()


def test_the_valid_forms_of_the_same_parameters_still_work(client):
    assert client.get("/programs/?chapter=5&support_type=1").status_code == 200
    assert client.get("/2024/programs/").status_code == 200
    assert client.get("/prefectures/?prefecture=33").status_code == 302
    assert client.get("/prefectures/33/?program=hands-on-it").status_code == 200


def test_the_admin_change_report_ignores_a_non_ascii_year(client, superuser):
    client.force_login(superuser)
    edition = Edition.objects.get(year=2024)
    response = client.get(f"/admin/programs/edition/{edition.pk}/changes/?against=%C2%B2")
    assert response.status_code == 200
