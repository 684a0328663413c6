"""Shared reads: lineage both ways in one recursive query (depth 5, a diamond), overdue
check-outs, what is out, what came in today, what is past retention, client scoping."""

import datetime

import pytest
from django.utils import timezone

from postdesk.library import queries, services
from postdesk.library.models import MediaItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(register):
    """A camera original and five generations below it, each made from the one above."""
    items = [register(generation="camera_original", title="Gen 0")]
    for depth in range(1, 6):
        items.append(register(generation="dub", title=f"Gen {depth}", parents=[items[-1]]))
    return items


def test_descendants_to_depth_five_in_one_query(chain, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = queries.descendants(chain[0])

    assert [(d["title"], d["depth"], d["parents"]) for d in found] == [
        (f"Gen {n}", n, [chain[n - 1].pk]) for n in range(1, 6)
    ]


def test_ancestors_to_depth_five_in_one_query(chain, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = queries.ancestors(chain[5])

    assert [(a["title"], a["depth"], a["children"]) for a in found] == [
        (f"Gen {5 - n}", n, [chain[6 - n].pk]) for n in range(1, 6)
    ]


def test_a_diamond_lists_each_item_once_at_its_nearest_depth(register):
    """master -> (protection, sub-master) -> dub made from both -> viewing copy."""
    master = register(generation="master", title="Master")
    protection = register(generation="protection_master", title="Protection", parents=[master])
    sub = register(generation="sub_master", title="Sub", parents=[master])
    dub = register(generation="dub", title="Dub", parents=[protection, sub])
    viewing = register(generation="dub", title="Viewing", parents=[dub])

    down = {d["title"]: (d["depth"], d["parents"]) for d in queries.descendants(master)}
    up = {a["title"]: (a["depth"], a["children"]) for a in queries.ancestors(viewing)}

    assert down == {
        "Protection": (1, [master.pk]),
        "Sub": (1, [master.pk]),
        "Dub": (2, sorted([protection.pk, sub.pk])),
        "Viewing": (3, [dub.pk]),
    }
    assert up == {
        "Dub": (1, [viewing.pk]),
        "Protection": (2, [dub.pk]),
        "Sub": (2, [dub.pk]),
        "Master": (3, sorted([protection.pk, sub.pk])),
    }
    assert queries.descendant_ids([protection.pk, sub.pk]) == {dub.pk, viewing.pk}
    assert queries.descendants(viewing) == []


def test_overdue_lists_who_holds_what_since_when(register, librarian, users, next_week):
    today = timezone.localdate()
    late = register(title="Late", holder_name="Sam", due_back=next_week)
    register(title="Not yet", holder=users["runner"], due_back=next_week)
    register(title="On the shelf")
    MediaItem.objects.filter(pk=late.pk).update(due_back=today - datetime.timedelta(days=2))

    rows = list(queries.overdue())

    assert [(i.title, i.holder_name, i.due_back) for i in rows] == [
        ("Late", "Sam", today - datetime.timedelta(days=2))
    ]
    assert rows[0].placed_at == late.placed_at
    assert queries.overdue(today=next_week + datetime.timedelta(days=1)).count() == 2


def test_out_now_and_came_in_today(register, librarian, vault, next_week):
    shelved = register(title="Shelved")
    out = register(title="Out", holder_name="Sam", due_back=next_week)
    moving = register(title="Moving")
    services.dispatch(moving, actor=librarian, courier="Cityspeed", destination="Pinewood")
    services.receive(moving, vault["shelf2"], actor=librarian)
    services.dispatch(shelved, actor=librarian, courier="Cityspeed", destination="Ealing")

    assert [i.title for i in queries.out_now()] == ["Out", "Shelved"]
    came = [(m.item.title, m.action) for m in queries.came_in()]
    assert came == [
        ("Moving", "receive"),
        ("Moving", "register"),
        ("Out", "register"),
        ("Shelved", "register"),
    ]
    assert list(queries.came_in(timezone.localdate() - datetime.timedelta(days=1))) == []
    assert out.custody == "person"


def test_past_retention(register, librarian):
    today = timezone.localdate()
    register(title="Expired", retention_until=today - datetime.timedelta(days=1))
    register(title="Held", retention_until=today - datetime.timedelta(days=9), on_hold=True)
    register(title="Kept", retention_until=today + datetime.timedelta(days=1))
    register(title="Forever")

    assert [(i.title, i.on_hold) for i in queries.past_retention()] == [
        ("Held", True),
        ("Expired", False),
    ]


def test_client_users_see_only_their_company_media(
    register, users, job, other_job, make_user, other_company
):
    ours = register(job=job)
    register(job=other_job)
    register()

    assert list(queries.items_for(users["client"])) == [ours]
    assert queries.items_for(users["runner"]).count() == 3
    stranger = make_user("client", "stranger", client=other_company)
    assert queries.items_for(stranger).count() == 1
