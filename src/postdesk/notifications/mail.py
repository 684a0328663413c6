"""The notification mails: one notification at once, or a user's day grouped by kind in
one digest. Each carries its unsubscribe link in the body and in the List-Unsubscribe
headers (RFC 2369, and RFC 8058's one-click POST), so mail clients offer the button."""

from django.conf import settings
from django.core.mail import EmailMessage

from postdesk.notifications.kinds import KINDS
from postdesk.notifications.models import Notification
from postdesk.notifications.signing import absolute, unsubscribe_url


def _headers(url: str) -> dict:
    return {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def single(notification: Notification) -> EmailMessage:
    user = notification.recipient
    kind = KINDS[notification.kind]
    url = unsubscribe_url(user.pk, [notification.kind])
    facility = settings.POSTDESK["FACILITY_NAME"]
    link = f"\n{absolute(notification.link)}\n" if notification.link else ""
    body = (
        f"{notification.text}\n{link}\n-- \n{facility}\n"
        f"You get these as they happen ({kind.label}). To stop: {url}\n"
    )
    return EmailMessage(
        subject=f"{kind.label}: {notification.text}"[:200],
        body=body,
        to=[user.email],
        headers=_headers(url),
    )


def digest(user, notifications: list[Notification]) -> EmailMessage:
    """The day's notifications of `user`, grouped by kind in the order of KINDS, newest
    first within a kind."""
    groups: dict[str, list[Notification]] = {}
    for n in sorted(notifications, key=lambda n: (n.created_at, n.pk), reverse=True):
        groups.setdefault(n.kind, []).append(n)
    ordered = [k for k in KINDS if k in groups]
    facility = settings.POSTDESK["FACILITY_NAME"]
    parts = []
    for key in ordered:
        lines = [f"{KINDS[key].label} ({len(groups[key])})"]
        for n in groups[key]:
            lines.append(f"  - {n.text}" + (f"\n    {absolute(n.link)}" if n.link else ""))
        lines.append(f"  Stop these: {unsubscribe_url(user.pk, [key])}")
        parts.append("\n".join(lines))
    every = unsubscribe_url(user.pk, ordered)
    body = (
        "\n\n".join(parts) + f"\n\n-- \n{facility}\nYour daily digest. To stop every kind "
        f"in this mail: {every}\n"
    )
    return EmailMessage(
        subject=f"Your {facility} digest: {len(notifications)} notification(s)",
        body=body,
        to=[user.email],
        headers=_headers(every),
    )
