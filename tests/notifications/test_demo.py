"""The demo's notification history: every demo user has some, read and unread, written
through the services; clients hold none of the facility's own kinds."""

import pytest
from django.contrib.auth import get_user_model

from postdesk.core.demo import load_demo
from postdesk.core.roles import ROLE_NAMES
from postdesk.notifications.kinds import KINDS
from postdesk.notifications.models import Notification, Preference

pytestmark = pytest.mark.django_db


def test_every_demo_user_has_a_history_read_and_unread():
    lines = load_demo()
    assert any(line.startswith("demo:postdesk.notifications:") for line in lines), lines

    for user in get_user_model().objects.filter(username__in=ROLE_NAMES):
        mine = Notification.objects.filter(recipient=user)
        assert mine.exists(), user.username
        if mine.count() > 1:
            assert mine.filter(read_at__isnull=True).exists(), user.username
            assert mine.filter(read_at__isnull=False).exists(), user.username
    internal = [k for k, kind in KINDS.items() if kind.internal]
    assert not Notification.objects.filter(recipient__client__isnull=False, kind__in=internal)
    assert Notification.objects.filter(recipient__client__isnull=False).exists()
    assert Preference.objects.filter(user__username="runner", mode="off").exists()
