"""Sign-in throttling on top of django-axes.

Axes locks a (username, IP address) pair after AXES_FAILURE_LIMIT failures. On its own
that never slows one address trying one password against many usernames, so an address
is also locked once its failures for any usernames reach POSTDESK["IP_FAILURE_LIMIT"]
(higher: an office behind one address shares it) within the same cool-off time.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        by_user = super().get_failures(request, credentials)
        if self.failures_from_address(request) >= settings.POSTDESK["IP_FAILURE_LIMIT"]:
            # Axes compares one count with one limit: an address that spent its own,
            # larger allowance counts as having reached the per-user one.
            return max(by_user, get_failure_limit(request, credentials))
        return by_user

    def failures_from_address(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0


def client_address(request) -> str | None:
    """The client's address behind one reverse proxy (POSTDESK_BEHIND_PROXY): the last
    X-Forwarded-For entry, the one the proxy appended; entries before it come from the
    client and could be anything. Without the header, the connection's own address."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    last = forwarded.rsplit(",", 1)[-1].strip()
    return last or request.META.get("REMOTE_ADDR")
