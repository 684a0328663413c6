"""The library's menu entry and home cards (the 400s), registered with the shell."""

from django.urls import reverse
from django.utils import timezone

from postdesk.core.roles import MANAGE_LIBRARY, VIEW_MEDIA
from postdesk.core.timeutil import facility_zone
from postdesk.library import queries
from postdesk.library.models import MediaItem
from postdesk.shell.registry import CardRow, HomeCard, NavItem, register_home_card, register_nav

register_nav(NavItem("Library", "library:home", VIEW_MEDIA, order=400))

# The library's own work: other roles that may read media find it on the library's pages.
KEEPERS = ("library", "admin")


def _item_url(item_id: int) -> str:
    return reverse("library:media-detail", args=[item_id])


def _holder(item) -> str:
    if item.holder_id is not None:
        return item.holder.get_full_name() or item.holder.username
    return item.holder_name


def _where(item) -> str:
    if item.custody == MediaItem.Custody.TRANSIT:
        return f"in transit to {item.destination}" if item.destination else "in transit"
    due = f", due {item.due_back:%d %b}" if item.due_back else ""
    return f"with {_holder(item)}{due}"


def _out_rows(user, limit):
    return [CardRow(str(i), _item_url(i.pk), _where(i)) for i in queries.out_for(user)[:limit]]


def _overdue_rows(user, limit):
    today = timezone.localdate()
    return [
        CardRow(str(i), _item_url(i.pk), f"{_holder(i)} · {(today - i.due_back).days}d late")
        for i in queries.overdue_for(user, today)[:limit]
    ]


def _in_rows(user, limit):
    return [
        CardRow(
            str(m.item),
            _item_url(m.item_id),
            f"{m.get_action_display().lower()} {timezone.localtime(m.at, facility_zone()):%H:%M}",
        )
        for m in queries.came_in_for(user)[:limit]
    ]


def _stocktake_rows(user, limit):
    return [
        CardRow(
            f"Stock-take of {st.location.name}",
            reverse("library:stocktake-detail", args=[st.pk]),
            f"started {timezone.localtime(st.started_at, facility_zone()):%d %b %H:%M}",
        )
        for st in queries.open_stocktakes()[:limit]
    ]


register_home_card(
    HomeCard(
        "Media out",
        VIEW_MEDIA,
        lambda user: queries.out_for(user).count(),
        "library:home",
        "checked out or in transit, longest out first",
        roles=KEEPERS,
        order=400,
        rows=_out_rows,
        empty="Everything is on the shelf.",
    ),
    HomeCard(
        "Media overdue",
        VIEW_MEDIA,
        lambda user: queries.overdue_for(user).count(),
        "library:overdue",
        "check-outs past their due date",
        roles=KEEPERS,
        order=410,
        rows=_overdue_rows,
        empty="No check-out is overdue.",
    ),
    HomeCard(
        "Media in today",
        VIEW_MEDIA,
        lambda user: queries.came_in_for(user).count(),
        "library:home",
        "registered or received today",
        roles=KEEPERS,
        order=420,
        rows=_in_rows,
        empty="Nothing has come in today.",
    ),
    HomeCard(
        "Open stock-takes",
        MANAGE_LIBRARY,
        lambda user: queries.open_stocktakes().count(),
        "library:stocktakes",
        "counts still in progress",
        query="?status=open",
        roles=KEEPERS,
        order=430,
        rows=_stocktake_rows,
        empty="No stock-take is open.",
    ),
)
