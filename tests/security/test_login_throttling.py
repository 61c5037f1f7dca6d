"""django-axes on the admin login: a user name + client IP pair is locked out after
AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME (not for ever); other users and other
addresses are not affected; behind a proxy the client's address comes from X-Forwarded-For."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from core.middleware import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff():
    User.objects.create_user("staff", password=PASSWORD, is_staff=True, is_superuser=True)
    User.objects.create_user("other", password=PASSWORD, is_staff=True)


def login(username, password, ip="192.0.2.10", **extra):
    client = Client(REMOTE_ADDR=ip, **extra)
    response = client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password, "next": "/admin/"},
        secure=True,
    )
    return response


def fail(times, username="staff", ip="192.0.2.10", **extra):
    return [login(username, "wrong", ip, **extra).status_code for _ in range(times)]


def test_settings_lock_user_and_ip_together_with_a_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_lockout_after_the_failure_limit(staff):
    limit = settings.AXES_FAILURE_LIMIT
    # each failure before the limit shows the login form again
    assert fail(limit - 1) == [200] * (limit - 1)
    # the failure that reaches the limit locks the pair out, with a Japanese page
    locked = login("staff", "wrong")
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "ログインを一時停止しています" in body
    assert "15分ほど" in body
    # now even the right password is refused for this user from this address
    again = login("staff", PASSWORD)
    assert again.status_code == 429
    assert "ログインを一時停止しています" in again.content.decode()


def test_other_user_and_other_address_are_not_locked(staff):
    fail(settings.AXES_FAILURE_LIMIT)
    assert login("staff", PASSWORD).status_code == 429
    # the same address, another user
    assert login("other", PASSWORD).status_code == 302
    # the same user, another address
    assert login("staff", PASSWORD, ip="198.51.100.7").status_code == 302


def test_lockout_ends_after_the_cool_off(staff):
    fail(settings.AXES_FAILURE_LIMIT)
    assert login("staff", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14)):
        assert login("staff", PASSWORD).status_code == 429
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = login("staff", PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == "/admin/"


def test_a_success_resets_the_count(staff):
    fail(settings.AXES_FAILURE_LIMIT - 1)
    assert login("staff", PASSWORD).status_code == 302
    assert fail(settings.AXES_FAILURE_LIMIT - 1) == [200] * (settings.AXES_FAILURE_LIMIT - 1)


def test_behind_a_proxy_the_client_address_is_taken_from_x_forwarded_for(staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = "10.0.0.2"
    # Clients all arrive from the load balancer's address; it appends the real one.
    fail(settings.AXES_FAILURE_LIMIT, ip=balancer, HTTP_X_FORWARDED_FOR="203.0.113.5")
    locked = login("staff", PASSWORD, ip=balancer, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    # a forged entry in front of the real one does not escape the lockout
    forged = login("staff", PASSWORD, ip=balancer, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.5")
    assert forged.status_code == 429
    # another client behind the same balancer can still log in
    other = login("staff", PASSWORD, ip=balancer, HTTP_X_FORWARDED_FOR="203.0.113.99")
    assert other.status_code == 302


class FakeRequest:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@pytest.mark.parametrize(
    "count, remote, forwarded, expected",
    [
        (0, "192.0.2.1", "203.0.113.5", "192.0.2.1"),  # no proxy: the header is ignored
        (1, "10.0.0.2", "203.0.113.5", "203.0.113.5"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # forged left part ignored
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),  # CDN + balancer
        (2, "10.0.0.3", "10.0.0.2", "10.0.0.3"),  # shorter than expected: REMOTE_ADDR
        (1, "10.0.0.2", None, "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.5:50123", "203.0.113.5"),  # a port after the address
        (1, "10.0.0.2", "[2001:db8::7]:443", "2001:db8::7"),
        (1, "10.0.0.2", "2001:DB8::7", "2001:db8::7"),
        (1, "10.0.0.2", "unknown", "10.0.0.2"),  # not an address: the proxy's own
        (1, "10.0.0.2", "1.2.3.4, <script>", "10.0.0.2"),
        (0, "not-an-ip", None, "0.0.0.0"),
    ],
)
def test_client_ip(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(FakeRequest(remote, forwarded)) == expected


@pytest.mark.parametrize(
    "forwarded", ["203.0.113.5:50123", "garbage", "[2001:db8::7]:443", "1.1.1.1,,", "::::"]
)
def test_odd_forwarded_headers_never_break_the_login(staff, settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert login("staff", "wrong", ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    ok = login("staff", PASSWORD, ip="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert ok.status_code == 302


@pytest.fixture
def low_limits(settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 8
    settings.LOGIN_FAILURE_LIMIT_PER_USERNAME = 6


def test_guessing_across_user_names_from_one_address_is_paused(staff, low_limits):
    # Two failures per name never reach the per-pair limit (5), but the address's total does.
    for name in ("staff", "other", "ghost", "nobody"):
        assert fail(2, username=name) == [200, 200]
    refused = login("staff", PASSWORD)
    assert refused.status_code == 429
    assert "この接続元からはログインできません" in refused.content.decode()
    # another address is not affected
    assert login("staff", PASSWORD, ip="192.0.2.99").status_code == 302


def test_guessing_one_user_name_from_many_addresses_is_paused(staff, low_limits):
    for n in range(3):
        assert fail(2, ip=f"198.51.100.{n}") == [200, 200]
    refused = login("staff", PASSWORD, ip="198.51.100.200")
    assert refused.status_code == 429
    assert "このユーザー名ではログインできません" in refused.content.decode()
    # other user names are not affected
    assert login("other", PASSWORD, ip="198.51.100.200").status_code == 302


@pytest.mark.parametrize("spelling", ["ｓｔａｆｆ", " staff ", "ｓtaff"])
def test_another_spelling_of_the_user_name_is_the_same_user_name(staff, low_limits, spelling):
    """The login form folds the name (NFKC, spaces trimmed) before it looks the user up, and
    django-axes records the folded name: a full-width spelling logs in as the same user, so it
    must count as the same user name, not as a fresh one with no failures."""
    for n in range(3):
        assert fail(2, ip=f"198.51.100.{n}") == [200, 200]
    refused = login(spelling, PASSWORD, ip="198.51.100.200")
    assert refused.status_code == 429
    assert "このユーザー名ではログインできません" in refused.content.decode()


def test_honest_mistakes_in_an_office_behind_one_address_do_not_lock_it_out(staff):
    # Default limits: a few colleagues mistyping a couple of times each.
    for name in ("staff", "other", "staff", "other"):
        assert fail(1, username=name) == [200]
    assert login("staff", PASSWORD).status_code == 302
    assert login("other", PASSWORD).status_code == 302


def test_the_wide_limits_expire_with_the_cool_off(staff, low_limits):
    for name in ("staff", "other", "ghost", "nobody"):
        fail(2, username=name)
    assert login("staff", PASSWORD).status_code == 429
    later = timezone.now() + settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1)
    with time_machine.travel(later):
        assert login("staff", PASSWORD).status_code == 302
