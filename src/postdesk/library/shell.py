"""The library's menu entry and home cards (the 400s), registered with the shell."""

from django.utils import timezone

from postdesk.core.roles import VIEW_MEDIA, scope_to_client
from postdesk.library.models import MediaItem
from postdesk.shell.registry import HomeCard, NavItem, register_home_card, register_nav

register_nav(NavItem("Library", "library:home", VIEW_MEDIA, order=400))


def _live(user):
    return scope_to_client(user, MediaItem.objects.filter(destroyed_at__isnull=True), "client")


def _out(user) -> int:
    return _live(user).exclude(custody=MediaItem.Custody.LOCATION).count()


def _overdue(user) -> int:
    return (
        _live(user)
        .filter(custody=MediaItem.Custody.PERSON, due_back__lt=timezone.localdate())
        .count()
    )


register_home_card(
    HomeCard(
        "Media out",
        VIEW_MEDIA,
        _out,
        "library:home",
        "checked out or in transit",
        roles=("library", "admin"),
        order=400,
    ),
    HomeCard(
        "Media overdue",
        VIEW_MEDIA,
        _overdue,
        "library:overdue",
        "check-outs past their due date",
        roles=("library", "admin"),
        order=410,
    ),
)
