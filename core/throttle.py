"""Login throttling wider than django-axes' (user name + client IP) pairs.

django-axes pauses one user name from one address after AXES_FAILURE_LIMIT failures. Guessing
passwords over many user names from one address, or one user name from many addresses, never
reaches that limit; this middleware pauses those too, with higher limits (an office behind one
NAT address shares it, and honest mistakes must not lock the office out):

- LOGIN_FAILURE_LIMIT_PER_IP failures from one address, whatever the user names;
- LOGIN_FAILURE_LIMIT_PER_USERNAME failures for one user name, whatever the addresses;

counted over the last AXES_COOLOFF_TIME from django-axes' own records of failed attempts.
"""

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.db.models import Sum
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from .middleware import client_ip


def recent_failures(**lookup):
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since, **lookup)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def throttled(request):
    """Why this login attempt is refused ("ip" / "username"), or None."""
    if recent_failures(ip_address=client_ip(request)) >= settings.LOGIN_FAILURE_LIMIT_PER_IP:
        return "ip"
    # Folded as the login form folds it (NFKC, spaces trimmed) before looking the user up and
    # as django-axes records it: ｓｔａｆｆ logs in as staff, so it is staff's count.
    username = UsernameField().to_python(request.POST.get("username", ""))
    if username and recent_failures(username=username) >= (
        settings.LOGIN_FAILURE_LIMIT_PER_USERNAME
    ):
        return "username"
    return None


class LoginThrottleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("admin:login"):
            reason = throttled(request)
            if reason is not None:
                context = {
                    "reason": reason,
                    "failure_limit": settings.AXES_FAILURE_LIMIT,
                    "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
                }
                response = TemplateResponse(request, "admin/lockout.html", context, status=429)
                return response.render()
        return self.get_response(request)
