"""The library's pages: home (in today, out, overdue), the item list with its filters, the
item page (where it is, history, lineage both ways, the actions the role may take), each
custody action as its own form, the location browser with roll-up counts, a production's
Media tab, the scan station, and a client user's read-only view of its own media."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from postdesk.library import services
from postdesk.library.models import MediaItem, Movement

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_home_shows_what_came_in_today_what_is_out_and_what_is_overdue(
    page_as, register, librarian, next_week
):
    shelved = register(title="Arrived master")
    out = register(title="Out dub", generation="dub", format="digibeta")
    services.check_out(out, actor=librarian, holder_name="Jo Park", due_back=next_week)
    register(
        title="Late drive",
        kind="drive",
        format="ssd",
        generation="clone",
        holder_name="Sam Reel",
        due_back=timezone.localdate() - datetime.timedelta(days=3),
    )

    page = _text(page_as("library").get(reverse("library:home")))

    came_in, rest = page.split('id="overdue"')
    overdue, out_section = rest.split('id="out"')
    assert shelved.barcode in came_in
    assert "Late drive" in overdue and "Sam Reel" in overdue
    assert "Out dub" not in overdue
    assert "Out dub" in out_section and "with Jo Park" in out_section
    assert "Arrived master" not in out_section


def test_item_list_searches_filters_and_pages(page_as, register, vault, production):
    register(title="Tide master", production=production, client=production.client)
    register(title="Tide dub", generation="dub", format="digibeta", location=vault["shelf3"])
    for n in range(30):
        register(title=f"Filler {n:02d}")
    http = page_as("library")

    assert "Tide master" in _text(
        http.get(reverse("library:media"), {"q": "tide", "generation": "master"})
    )
    dubs = _text(http.get(reverse("library:media"), {"generation": "dub"}))
    assert "Tide dub" in dubs and "Tide master" not in dubs
    rack2 = _text(http.get(reverse("library:media"), {"location": vault["rack2"].pk}))
    assert "Tide dub" in rack2 and "Tide master" not in rack2
    first = _text(http.get(reverse("library:media"), {"sort": "title"}))
    assert "Page 1 of 2" in first
    assert "No item matches" in _text(http.get(reverse("library:media"), {"q": "zzz"}))


def test_item_list_search_is_the_full_text_search_and_keeps_its_sort(page_as, register):
    register(barcode="LIB-900123", title="Harbour episode master")
    register(barcode="LIB-900124", title="Harbour episode dub", generation="dub")
    register(barcode="ARC-77", title="Rushes", kind="drive", format="ssd")
    http = page_as("library")

    def shown(**params):
        page = _text(http.get(reverse("library:media"), params))
        return [c for c in ("LIB-900123", "LIB-900124", "ARC-77") if c in page]

    assert shown(q="LIB-9001") == ["LIB-900123", "LIB-900124"]
    assert shown(q="episode mast") == ["LIB-900123"]
    # Too many words is no 500 on a page: the search is ignored, as any bad filter.
    assert shown(q="a b c d e f g h i") == ["LIB-900123", "LIB-900124", "ARC-77"]
    page = _text(http.get(reverse("library:media"), {"q": "harbour", "sort": "-barcode"}))
    assert page.index("LIB-900124") < page.index("LIB-900123")


def test_item_list_filters_as_the_api_does_destroyed_custody_and_bad_values(
    page_as, register, librarian, next_week
):
    register(barcode="KEPT-1", title="Kept")
    out = register(barcode="OUT-1", title="Out")
    services.check_out(out, actor=librarian, holder=librarian, due_back=next_week)
    gone = register(barcode="GONE-1", title="Gone")
    MediaItem.objects.filter(pk=gone.pk).update(destroyed_at=timezone.now())
    http = page_as("library")

    def shown(**params):
        page = _text(http.get(reverse("library:media"), params))
        return [c for c in ("KEPT-1", "OUT-1", "GONE-1") if c in page]

    assert shown() == ["KEPT-1", "OUT-1"]
    assert shown(destroyed="true") == ["GONE-1"]
    # The filter form's own checkbox asks the same, and shows itself ticked.
    ticked = http.get(reverse("library:media"), {"destroyed": "1"}).content.decode()
    assert 'name="destroyed" value="1" checked' in ticked
    assert "GONE-1" in ticked and "KEPT-1" not in ticked
    assert shown(custody="person") == ["OUT-1"]
    # A value the API would refuse with a 422 filters nothing on a page.
    assert shown(custody="moon", location="99999999999999999999") == ["KEPT-1", "OUT-1"]


def test_item_page_links_a_label_that_prints_and_the_nav_reaches_labels_and_import(
    page_as, register
):
    item = register(barcode="LBL-7", title="Label me")
    http = page_as("library")

    page = _text(http.get(reverse("library:media-detail", args=[item.pk])))

    label = re.search(r'<a class="button" href="([^"]+)">Label \(PDF\)</a>', page)
    assert label is not None
    printed = http.get(html.unescape(label.group(1)))
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert 'filename="labels-LBL-7-' in printed["Content-Disposition"]
    nav = page.split('aria-label="Library"')[1].split("</nav>")[0]
    for name in ("library_labels:labels", "library_import:upload"):
        assert f'href="{reverse(name)}"' in nav
        assert http.get(reverse(name)).status_code == 200
    # Import is for those who may register items; reading a label is not.
    reader = _text(page_as("client").get(reverse("library:media")))
    assert reverse("library_labels:labels") in reader
    assert reverse("library_import:upload") not in reader


def test_item_page_shows_where_it_is_its_history_and_its_lineage_both_ways(
    page_as, register, librarian, vault, django_assert_max_num_queries
):
    master = register(title="Ep1 master")
    dub = register(title="Ep1 dub", generation="dub", format="digibeta", parents=[master])
    copy = register(title="Ep1 viewing copy", generation="dub", format="xdcam", parents=[dub])
    services.move(dub, vault["shelf3"], actor=librarian, note="Rack 2 for dubs")
    http = page_as("library")

    with django_assert_max_num_queries(20):
        page = _text(http.get(reverse("library:media-detail", args=[dub.pk])))

    assert "Shelf 3 (LOC-VAULT-A-R2-S3)" in page
    made_from, copies = page.split("Copies made from it")
    assert "Ep1 master" in made_from and "Ep1 viewing copy" not in made_from
    assert "Ep1 viewing copy" in copies
    assert "Rack 2 for dubs" in page
    assert reverse("library:media-move", args=[dub.pk]) in page
    assert reverse("library:media-check-out", args=[dub.pk]) in page
    top = _text(http.get(reverse("library:media-detail", args=[master.pk])))
    assert "2 generations on" in top and copy.barcode in top


def test_a_move_is_its_own_form_and_its_refusal_shows_on_the_form(page_as, register, vault):
    item = register()
    http = page_as("runner")
    url = reverse("library:media-move", args=[item.pk])

    assert http.get(url).status_code == 200
    same = http.post(url, {"location": vault["shelf1"].pk})
    moved = http.post(url, {"location": vault["shelf2"].pk, "note": "Re-shelved"})

    assert same.status_code == 200 and "already at Shelf 1" in same.content.decode()
    assert moved.status_code == 302
    item.refresh_from_db()
    assert item.location_id == vault["shelf2"].pk
    assert list(Movement.objects.filter(item=item).values_list("action", "note")) == [
        ("register", ""),
        ("move", "Re-shelved"),
    ]


def test_check_out_needs_one_holder_and_a_future_date_then_check_in_puts_it_back(
    page_as, register, vault, users, next_week
):
    item = register()
    http = page_as("library")
    out_url = reverse("library:media-check-out", args=[item.pk])

    neither = http.post(out_url, {"due_back": next_week.isoformat()})
    past = http.post(out_url, {"holder_name": "Jo", "due_back": "2020-01-01"})
    done = http.post(
        out_url,
        {"holder": users["runner"].pk, "due_back": next_week.isoformat(), "signer_name": "Ravi"},
    )

    assert neither.status_code == 200 and "one of the two" in neither.content.decode()
    assert past.status_code == 200 and "cannot be in the past" in past.content.decode()
    assert done.status_code == 302
    item.refresh_from_db()
    assert (item.custody, item.holder_id) == ("person", users["runner"].pk)
    back = http.post(
        reverse("library:media-check-in", args=[item.pk]), {"location": vault["shelf3"].pk}
    )
    assert back.status_code == 302
    item.refresh_from_db()
    assert (item.custody, item.location_id) == ("location", vault["shelf3"].pk)


def test_dispatch_and_receive_are_receptions_and_runners_do_not_see_them(page_as, register, vault):
    item = register()
    runner_page = _text(page_as("runner").get(reverse("library:media-detail", args=[item.pk])))
    assert reverse("library:media-dispatch", args=[item.pk]) not in runner_page
    assert (
        page_as("runner").get(reverse("library:media-dispatch", args=[item.pk])).status_code == 403
    )

    http = page_as("reception")
    sent = http.post(
        reverse("library:media-dispatch", args=[item.pk]),
        {"courier": "Mercury", "tracking": "MC-9", "destination": "ITV, White City"},
    )
    assert sent.status_code == 302
    page = _text(http.get(reverse("library:media-detail", args=[item.pk])))
    assert "in transit with Mercury to ITV, White City" in page
    assert reverse("library:media-receive", args=[item.pk]) in page
    got = http.post(
        reverse("library:media-receive", args=[item.pk]), {"location": vault["shelf2"].pk}
    )
    assert got.status_code == 302
    item.refresh_from_db()
    assert item.location_id == vault["shelf2"].pk


def test_location_browser_rolls_counts_up_the_tree_and_lists_what_a_location_holds(
    page_as, register, vault
):
    register(title="On shelf 1")
    register(title="Also on shelf 1")
    register(title="On shelf 3", location=vault["shelf3"])
    http = page_as("library")

    tree = _text(http.get(reverse("library:locations")))
    rack1 = _text(http.get(reverse("library:location-detail", args=[vault["rack1"].pk])))

    row = tree.split(f'href="{reverse("library:location-detail", args=[vault["vault"].pk])}"')[1]
    assert '<td class="num">0</td>\n    <td class="num">3</td>' in row.split("</tr>")[0]
    assert "<strong>2</strong> items here and below" in rack1
    assert "On shelf 1" in rack1 and "On shelf 3" not in rack1
    assert page_as("client").get(reverse("library:locations")).status_code == 403


def test_a_client_user_sees_its_own_companys_media_read_only(
    page_as, register, production, other_job
):
    ours = register(
        title="Our master", client=production.client, production=production, notes="Damp"
    )
    theirs = register(
        title="Their master", client=other_job.client, production=other_job.production
    )
    http = page_as("client")

    listed = _text(http.get(reverse("library:media")))
    page = _text(http.get(reverse("library:media-detail", args=[ours.pk])))

    assert "Our master" in listed and "Their master" not in listed
    assert http.get(reverse("library:media-detail", args=[theirs.pk])).status_code == 404
    assert "Damp" not in page
    assert reverse("library:media-move", args=[ours.pk]) not in page
    assert reverse("library:media-edit", args=[ours.pk]) not in page
    assert http.get(reverse("library:media-move", args=[ours.pk])).status_code == 403
    assert http.get(reverse("library:media-create")).status_code == 403


def test_a_productions_media_tab_lists_its_items(page_as, register, production, other_job):
    register(title="Tide master", client=production.client, production=production)
    register(title="Elsewhere master", client=other_job.client, production=other_job.production)
    http = page_as("coordinator")

    detail = _text(http.get(reverse("production-detail", args=[production.pk])))
    tab = _text(http.get(reverse("library:production-media", args=[production.pk])))

    assert reverse("library:production-media", args=[production.pk]) in detail
    assert "Tide master" in tab and "Elsewhere master" not in tab
    no_media = _text(page_as("accounts").get(reverse("production-detail", args=[production.pk])))
    assert reverse("library:production-media", args=[production.pk]) not in no_media


def test_the_scan_station_is_for_those_who_move_or_receive_media(page_as):
    page = _text(page_as("runner").get(reverse("library:scan")))

    assert 'id="scan-code"' in page and "library/scan.js" in page
    assert 'data-api="/api/v1/scan"' in page
    assert page_as("reception").get(reverse("library:scan")).status_code == 200
    assert page_as("engineer").get(reverse("library:scan")).status_code == 403


def test_registering_an_unknown_scanned_code_prefills_it_and_the_place(page_as, vault):
    http = page_as("library")
    url = reverse("library:media-create") + f"?barcode=TAPE-77&location={vault['shelf2'].pk}"

    form = _text(http.get(url))
    made = http.post(
        url,
        {
            "barcode": "tape-77",
            "title": "Found tape",
            "kind": "tape",
            "format": "digibeta",
            "generation": "dub",
            "owner": "client",
            "condition": "good",
            "location": vault["shelf2"].pk,
        },
    )

    assert 'value="TAPE-77"' in form
    assert made.status_code == 302, made.content.decode()[:3000]
    item = MediaItem.objects.get(barcode="TAPE-77")
    assert item.location_id == vault["shelf2"].pk
