"""Reads of notifications: a user only ever reads their own."""

from postdesk.notifications.models import Notification


def inbox(user):
    return Notification.objects.filter(recipient_id=user.pk)


def unread_count(user) -> int:
    """The header's count, on every page: one indexed COUNT (notification_unread)."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
