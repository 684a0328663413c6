"""The client portal, as a matrix over every portal page and endpoint with two client
companies: each sees its own bookings, quotes, invoices and media, and never the other
company's name, money or media. Then each action through its page: a quote accepted
(name, date and version kept), a booking request made and placed or declined by the
bookings office, a password changed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from postdesk.billing import services as billing
from postdesk.billing.models import Quote
from postdesk.core.audit import SYSTEM
from postdesk.core.models import AuditEntry
from postdesk.library import services as library
from postdesk.portal.models import BookingRequest
from postdesk.scheduling import services as scheduling
from tests.portal.conftest import soon

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_companies(
    users, make_user, site, room, job, other_job, theatre, standard_card, make_booking
):
    """Company A (Northlight Pictures, users["client"]) and company B (Other Films Ltd,
    "client-b"), each with a booking in the same room, a sent quote, an issued invoice
    for a distinctive amount and a media item."""
    from postdesk.productions import services as productions

    b_contact = productions.create_contact(
        actor=SYSTEM, client=other_job.client, name="Sam Other", email="sam@other.example"
    )
    other_job = productions.update_job(other_job, actor=SYSTEM, contact=b_contact)
    b_user = make_user("client", "client-b", client=other_job.client)
    made = {"a": {"user": users["client"], "job": job}, "b": {"user": b_user, "job": other_job}}
    shelf = library.create_location(
        actor=users["library"], name="Shelf", kind="shelf", site=site, barcode="LOC-SHELF"
    )
    for n, (key, c) in enumerate(made.items()):
        c["booking"] = scheduling.create_booking(
            job=c["job"],
            resources=[room],
            start=soon(3 + n)[0],
            end=soon(3 + n)[1],
            status="confirmed",
            actor=users["bookings"],
        )
        quote = billing.create_quote(
            job=c["job"],
            actor=SYSTEM,
            include_bookings=False,
            valid_until=timezone.localdate() + datetime.timedelta(days=30),
            free_lines=[{"description": f"Grade for {key}", "unit_price": f"{n + 1}111.11"}],
        )
        c["quote"] = billing.send_quote(quote, actor=SYSTEM)
        past = make_booking(
            c["job"], [theatre], soon(-20 - n)[0], soon(-20 - n)[1], status="completed"
        )
        sheet = billing.create_job_sheet(booking=past, actor=SYSTEM)
        billing.sign_job_sheet(sheet, actor=SYSTEM, party="operator", name="Ana")
        sheet = billing.sign_job_sheet(sheet, actor=SYSTEM, party="client", name="Client")
        invoice = billing.create_invoice(job=c["job"], sheets=[sheet], actor=SYSTEM)
        billing.add_invoice_line(
            invoice, actor=SYSTEM, description="Drive", unit_price=f"{n + 7}77.77"
        )
        c["invoice"] = billing.issue_invoice(invoice, actor=SYSTEM)
        c["media"] = library.register_item(
            actor=users["library"],
            title=f"Master of {key.upper()} ZZ{n}",
            kind="tape",
            format="hdcam_sr",
            generation="master",
            location=shelf,
            client=c["job"].client,
            production=c["job"].production,
        )
        _coordination(c, key, n, users["coordinator"])
    return made


def _coordination(c, key: str, n: int, coordinator) -> None:
    """Company c's deliverable (delivered) and screening, to which its portal user and a
    guest are invited."""
    from postdesk.coordination import screenings
    from postdesk.coordination import services as coordination
    from postdesk.core.services import update_user

    production = c["job"].production
    c["user"] = update_user(c["user"], actor=SYSTEM, email=f"viewer-{key}@example.com")
    c["deliverable"] = coordination.add_deliverable(
        production=production,
        name=f"Textless master {key.upper()}Q{n}",
        actor=coordinator,
        due=timezone.localdate() + datetime.timedelta(days=20),
    )
    c["screening"] = screenings.book_screening(
        job=c["job"],
        start=soon(6 + n)[0],
        end=soon(6 + n)[1],
        cut_version=f"Director's cut {key.upper()}V{n}",
        external_venue="Soho Screening Rooms",
        venue_capacity=40,
        actor=coordinator,
    )
    c["guest"] = screenings.invite(
        c["screening"],
        name=f"Guest {key.upper()}G{n}",
        email=f"guest-{key}@example.com",
        actor=coordinator,
    )
    c["invite"] = screenings.invite(
        c["screening"],
        name=f"Viewer {key.upper()}",
        email=f"Viewer-{key}@example.com",
        actor=coordinator,
    )


def secrets_of(c) -> list[str]:
    """What only company c and the facility may see: its name, its production, its money,
    its media."""
    return [
        c["job"].client.name,
        c["job"].production.title,
        c["job"].number,
        str(c["quote"].net),
        str(c["invoice"].gross),
        c["media"].title,
        c["media"].barcode,
        c["deliverable"].name,
        c["screening"].cut_version,
        c["guest"].name,
        c["guest"].token,
        c["invite"].token,
    ]


def portal_pages(c) -> list[str]:
    return [
        reverse("portal:home"),
        reverse("portal:quote", args=[c["quote"].pk]),
        reverse("portal:request"),
        reverse("portal:feeds"),
        reverse("portal:password"),
        reverse("portal:deliverables"),
        reverse("portal:screenings"),
    ]


def portal_api(c) -> list[str]:
    return [
        "portal/home",
        "portal/booking-requests",
        "calendar-feeds",
        "portal/deliverables",
        "portal/screenings",
    ]


@pytest.mark.parametrize("me, them", [("a", "b"), ("b", "a")])
def test_every_portal_page_and_endpoint_shows_only_ones_own_company(
    two_companies, me, them, api_as, client
):
    mine, theirs = two_companies[me], two_companies[them]
    client.force_login(mine["user"], backend="django.contrib.auth.backends.ModelBackend")
    from postdesk.core.services import issue_token
    from tests.conftest import ApiClient

    api = ApiClient(issue_token(user=mine["user"], actor=SYSTEM)[1])
    bodies = []
    for url in portal_pages(mine):
        page = client.get(url)
        assert page.status_code == 200, url
        bodies.append((url, page.content.decode()))
    for path in portal_api(mine):
        answer = api.get(path)
        assert answer.status_code == 200, path
        bodies.append((path, answer.content.decode()))
    made = api.post("calendar-feeds", {"kind": "company"})
    feed = client.get(made.json()["url"].replace("http://testserver", ""))
    bodies.append(("feed", feed.content.decode()))

    for where, body in bodies:
        for secret in secrets_of(theirs):
            assert secret not in body, (where, secret)
    home = bodies[0][1]
    for secret in secrets_of(mine)[:7]:
        assert secret in home, secret
    everything = "".join(body for _, body in bodies)
    for secret in secrets_of(mine)[7:10]:
        assert secret in everything, secret
    # Only one's own invitation carries its RSVP link; a guest's token is never shown.
    assert mine["invite"].token in everything
    assert mine["guest"].token not in everything
    assert "Unavailable" in home  # the other company's session in the same room, unnamed
    # The other company's quote, its PDF and invoice PDF answer 404 as if they did not exist.
    assert client.get(reverse("portal:quote", args=[theirs["quote"].pk])).status_code == 404
    assert (
        client.get(reverse("billing:invoice_pdf", args=[theirs["invoice"].pk])).status_code == 404
    )
    assert (
        api.post(
            f"portal/quotes/{theirs['quote'].pk}/respond", {"accept": True, "name": "X"}
        ).status_code
        == 404
    )
    assert (
        api.post(
            "portal/booking-requests",
            {
                "production": theirs["job"].production.pk,
                "what": "Grade",
                "start": soon(5)[0].isoformat(),
                "end": soon(5)[1].isoformat(),
            },
        ).status_code
        == 404
    )
    assert Quote.objects.get(pk=theirs["quote"].pk).status == "sent"


def test_staff_and_other_roles_do_not_open_the_portal(page_as):
    assert page_as("bookings").get(reverse("portal:home")).status_code == 403
    assert page_as("admin").get(reverse("portal:request")).status_code == 403
    assert page_as("client").get(reverse("portal:requests")).status_code == 403


def test_a_client_accepts_a_quote_on_its_page_and_the_answer_is_kept(two_companies, page_as):
    quote = two_companies["a"]["quote"]
    http = page_as("client")
    page = http.get(reverse("portal:quote", args=[quote.pk]))
    assert b'id="quote-answer"' in page.content

    refused = http.post(reverse("portal:quote", args=[quote.pk]), {"accept": "yes", "name": ""})
    assert refused.status_code == 422
    assert Quote.objects.get(pk=quote.pk).status == "sent"

    done = http.post(
        reverse("portal:quote", args=[quote.pk]), {"accept": "yes", "name": "Hannah Reid"}
    )

    assert done.status_code == 302
    answered = Quote.objects.get(pk=quote.pk)
    assert (answered.status, answered.responded_by) == ("accepted", "client-user")
    assert answered.responded_at.date() == timezone.localdate()
    entry = AuditEntry.objects.get(object_type="billing.quote", changes__signed_by="Hannah Reid")
    assert entry.changes["version"] == answered.version == 1
    assert entry.changes["net"] == str(answered.net)
    again = http.get(reverse("portal:quote", args=[quote.pk]))
    assert b'id="quote-answer"' not in again.content
    assert b"Accepted on" in again.content


def test_a_client_declines_through_the_api(two_companies, api_as):
    quote = two_companies["a"]["quote"]
    answer = api_as("client").post(
        f"portal/quotes/{quote.pk}/respond", {"accept": False, "name": "Hannah Reid"}
    )
    assert (answer.status_code, answer.json()["status"]) == (200, "declined")
    assert (
        api_as("client")
        .post(f"portal/quotes/{quote.pk}/respond", {"accept": True, "name": "Hannah Reid"})
        .status_code
        == 409
    )


def test_a_booking_request_is_made_on_its_page_and_placed_by_the_office(users, page_as, job, room):
    http = page_as("client")
    start, end = soon(10)
    form = {
        "production": job.production.pk,
        "what": "Grade review",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": end.strftime("%Y-%m-%dT%H:%M"),
        "notes": "Baselight please",
    }
    assert http.get(reverse("portal:request")).status_code == 200
    sent = http.post(reverse("portal:request"), form)
    assert sent.status_code == 302
    made = BookingRequest.objects.get()
    assert (made.what, made.start, made.end, made.status) == ("Grade review", start, end, "open")

    office = page_as("bookings")
    listed = office.get(reverse("portal:requests"))
    assert b"Grade review" in listed.content and b"Northlight Pictures" in listed.content
    pencil = scheduling.create_booking(
        job=job, resources=[room], start=start, end=end, status="pencil", actor=users["bookings"]
    )
    placed = office.post(reverse("portal:place", args=[made.pk]), {"booking": pencil.pk})
    assert placed.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.booking_id) == ("placed", pencil.pk)
    assert b"Pencilled" in http.get(reverse("portal:home")).content


def test_a_booking_request_is_declined_with_a_reason_and_bad_requests_refused(
    users, page_as, api_as, job, other_job
):
    start, end = soon(10)
    api = api_as("client")
    bad = [
        (
            {
                "production": job.production.pk,
                "what": "Grade",
                "start": end.isoformat(),
                "end": start.isoformat(),
            },
            "end",
        ),
        (
            {
                "production": job.production.pk,
                "what": "Grade",
                "start": soon(-3)[0].isoformat(),
                "end": soon(-3)[1].isoformat(),
            },
            "start",
        ),
        (
            {
                "production": job.production.pk,
                "what": "Grade",
                "start": start.isoformat(),
                "end": (start + datetime.timedelta(days=40)).isoformat(),
            },
            "end",
        ),
    ]
    for payload, field in bad:
        answer = api.post("portal/booking-requests", payload)
        assert answer.status_code == 422, payload
        assert field in answer.json()["details"]["fields"]
    assert BookingRequest.objects.count() == 0
    made = api.post(
        "portal/booking-requests",
        {
            "production": job.production.pk,
            "what": "Grade",
            "start": start.isoformat(),
            "end": end.isoformat(),
        },
    )
    assert made.status_code == 201
    pk = made.json()["id"]
    assert (
        api_as("runner").post(f"portal/booking-requests/{pk}/decline", {"answer": "No"}).status_code
        == 403
    )
    assert api.post(f"portal/booking-requests/{pk}/decline", {"answer": "No"}).status_code == 403
    office = page_as("bookings")
    declined = office.post(
        reverse("portal:decline", args=[pk]), {"answer": "Fully booked that week"}
    )
    assert declined.status_code == 302
    assert api.get("portal/booking-requests").json()[0]["answer"] == "Fully booked that week"
    assert api_as("bookings").post(
        f"portal/booking-requests/{pk}/place", {"booking": 1}
    ).status_code in (409, 422)


def test_a_client_changes_its_password_on_its_page(users, page_as):
    http = page_as("client")
    changed = http.post(
        reverse("portal:password"),
        {
            "old_password": "pw-for-tests",
            "new_password1": "a-New-pass-2026!",
            "new_password2": "a-New-pass-2026!",
        },
    )
    assert changed.status_code == 302
    users["client"].refresh_from_db()
    assert users["client"].check_password("a-New-pass-2026!")
    assert AuditEntry.objects.filter(object_type="core.user", summary="password changed").exists()


def test_the_portal_home_costs_a_bounded_number_of_queries(
    two_companies, page_as, django_assert_max_num_queries
):
    http = page_as("client")
    with django_assert_max_num_queries(14):
        assert http.get(reverse("portal:home")).status_code == 200


def test_deliverables_and_screenings_show_status_answers_and_ones_own_rsvp_link(
    two_companies, users, client, api_as
):
    from postdesk.coordination import screenings
    from postdesk.coordination import services as coordination

    mine = two_companies["a"]
    item = coordination.start_deliverable(mine["deliverable"], actor=users["coordinator"])
    screenings.respond(
        screening_id=mine["screening"].pk, token=mine["guest"].token, accept=True, plus_ones=0
    )
    client.force_login(mine["user"], backend="django.contrib.auth.backends.ModelBackend")

    page = client.get(reverse("portal:deliverables"))
    assert page.status_code == 200
    (row,) = page.context["deliverables"]
    assert (row["name"], row["status"], row["status_label"]) == (
        item.name,
        "in_progress",
        "In progress",
    )
    assert "owner" not in row and "notes" not in row
    shown = client.get(reverse("portal:screenings"))
    (screening,) = shown.context["screenings"]
    answers = {i["name"]: (i["response"], i["mine"]) for i in screening["invitees"]}
    assert answers == {mine["guest"].name: ("accepted", False), "Viewer A": ("pending", True)}
    link = reverse("coordination:rsvp", args=[mine["screening"].pk, mine["invite"].token])
    assert link.encode() in shown.content
    # The link works: it is the invitee's own RSVP page.
    assert client.get(link).status_code == 200

    from postdesk.core.services import issue_token
    from tests.conftest import ApiClient

    api = ApiClient(issue_token(user=mine["user"], actor=SYSTEM)[1])
    (out,) = api.get("portal/screenings").json()
    mine_out = [i for i in out["invitees"] if i["mine"]]
    assert mine_out[0]["rsvp_url"].endswith(link)
    assert [i["rsvp_url"] for i in out["invitees"] if not i["mine"]] == [None]
    (d,) = api.get("portal/deliverables").json()
    assert (d["status"], d["flag"]) == ("in_progress", "")
    assert api_as("bookings").get("portal/deliverables").status_code == 403


def test_the_homes_own_bookings_are_the_overlap_the_orm_reads(users, room, job, other_job):
    """The hand-written reads (running at the window's start, then starting in it) give
    the rows, in the order, of the one overlap query they replace."""
    from postdesk.core.roles import scope_to_client
    from postdesk.portal import queries
    from postdesk.scheduling.models import Allocation, Booking
    from postdesk.scheduling.overlap import overlaps

    who = users["bookings"]
    now = timezone.now()

    def book(job_, start, hours, status="confirmed"):
        return scheduling.create_booking(
            job=job_,
            resources=[room],
            start=start,
            end=start + datetime.timedelta(hours=hours),
            status=status,
            actor=who,
        )

    book(job, now - datetime.timedelta(days=3), 60)  # running across the window's start
    book(job, now - datetime.timedelta(days=5), 10)  # over before it
    book(job, now + datetime.timedelta(days=2), 4, status="pencil")
    gone = book(job, now + datetime.timedelta(days=3), 4)
    scheduling.cancel_booking(gone, actor=who)
    book(other_job, now + datetime.timedelta(days=4), 4)
    book(job, now + datetime.timedelta(days=40), 4)  # after the window
    lo, hi = now - queries.BEHIND, now + queries.AHEAD

    own, unavailable = queries.bookings(users["client"], now)

    expected = list(
        scope_to_client(
            users["client"],
            Allocation.objects.filter(overlaps(lo, hi), status__in=Booking.ACTIVE_STATUSES),
            "booking__job__client",
        )
        .order_by("start", "booking_id")
        .values(*queries.OWN_KEYS)
    )
    assert own == expected
    assert [r["status"] for r in own] == ["confirmed", "pencil"]
    assert [u["label"] for u in unavailable] == ["Unavailable"]
