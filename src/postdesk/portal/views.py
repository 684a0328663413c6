"""Calendar feed pages: the feed itself (by its secret URL, no sign-in), the user's feeds
(make, regenerate, revoke) and a booking's invitation to a client contact."""

from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET

from postdesk.core.errors import DomainError
from postdesk.core.roles import CHANGE_BOOKINGS, MANAGE_USERS, VIEW_BOARD
from postdesk.scheduling.models import Booking
from postdesk.web.access import allowed, capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import call_service, form_page

from . import feed_stamp, feeds, services
from .forms import FeedForm, InvitationForm, PersonLinkForm
from .models import CalendarFeed, PersonLink

ICS = "text/calendar; charset=utf-8"


@require_GET
def feed(request, token: str):
    """The feed's iCalendar text; 304 when the caller's copy is current, decided by
    feed_stamp's two statements before anything is built."""
    now = timezone.now()
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    match = request.headers.get("If-None-Match")
    if match is not None or since is not None:
        quick = feed_stamp.quick_stamp(token, now)
        if quick is None:
            raise Http404("No such calendar feed")
        etag, last = quick
        if (match is not None and etag in [t.strip() for t in match.split(",")]) or (
            match is None and since is not None and int(last.timestamp()) <= since
        ):
            return _headers(HttpResponseNotModified(), etag, last)
    found = feeds.open_feed(token)
    if found is None:
        raise Http404("No such calendar feed")
    feed_rows, others = feeds.rows(found, now), feeds.extras(found, now)
    etag, last = feeds.stamp_of_rows(found, feed_rows, now, others)
    response = HttpResponse(feeds.render(found, feed_rows, others), content_type=ICS)
    return _headers(response, etag, last)


def _headers(response, etag: str, last) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last.timestamp())
    # Revalidated each time (a 304 costs two small queries), kept out of shared caches.
    response["Cache-Control"] = "private, no-cache"
    return response


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("portal:feed", args=[token]))


@capability_required(VIEW_BOARD)
def my_feeds(request):
    """The user's feeds, and the form that makes one; a new URL is shown once, here."""
    form = FeedForm(request.POST or None, user=request.user)
    new_url = None
    if request.method == "POST" and form.is_valid():
        made = call_service(form, services.create_feed, actor=request.user)
        if made is not None:
            new_url = feed_url(request, made[1])
            form = FeedForm(user=request.user)
    mine = CalendarFeed.objects.filter(owner=request.user).select_related(
        "resource", "production", "owner"
    )
    return render(
        request,
        "portal/feeds.html",
        {
            "form": form,
            "feeds": mine,
            "new_url": new_url,
            "may_link": allowed(request.user, MANAGE_USERS, internal=True),
        },
        status=201 if new_url else 200,
    )


def _my_feed(request, pk: int) -> CalendarFeed:
    return get_object_or_404(CalendarFeed, pk=pk, owner=request.user)


@capability_required(VIEW_BOARD)
def regenerate(request, pk: int):
    feed_obj = _my_feed(request, pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            _, token = services.regenerate_feed_token(feed_obj, actor=request.user)
        except DomainError as exc:
            return render(
                request,
                "web/confirm.html",
                {
                    "title": "New feed URL",
                    "error": exc.message,
                    "cancel_url": reverse("portal:feeds"),
                },
                status=409,
            )
        mine = CalendarFeed.objects.filter(owner=request.user).select_related(
            "resource", "production"
        )
        return render(
            request,
            "portal/feeds.html",
            {
                "form": FeedForm(user=request.user),
                "feeds": mine,
                "new_url": feed_url(request, token),
            },
        )
    return render(
        request,
        "web/confirm.html",
        {
            "title": "New feed URL",
            "explain": f"The {feeds.calendar_name(feed_obj)} feed gets a new secret URL; "
            "calendars subscribed to the old one stop updating.",
            "button": "Make a new URL",
            "cancel_url": reverse("portal:feeds"),
            "danger": True,
        },
    )


@capability_required(VIEW_BOARD)
def revoke(request, pk: int):
    feed_obj = _my_feed(request, pk)
    return confirm_action(
        request,
        act=lambda: services.revoke_feed(feed_obj, actor=request.user),
        done_url=reverse("portal:feeds"),
        done_message="Feed revoked: its URL no longer works",
        title="Revoke this feed",
        explain=f"The {feeds.calendar_name(feed_obj)} feed's URL stops working for good.",
        button="Revoke",
        cancel_url=reverse("portal:feeds"),
    )


@capability_required(CHANGE_BOOKINGS, internal=True)
def invite(request, pk: int):
    """Send a confirmed booking to one of its client's contacts as a calendar invitation."""
    booking = get_object_or_404(Booking.objects.select_related("job"), pk=pk, kind="job")
    return form_page(
        request,
        InvitationForm(request.POST or None, booking=booking),
        services.send_booking_invitation,
        done=lambda b: ("Invitation queued: the worker mails it", reverse("portal:feeds")),
        title=f"Send booking {booking.pk} to a client contact",
        cancel_url=reverse("portal:feeds"),
        booking=booking,
        actor=request.user,
    )


@capability_required(MANAGE_USERS, internal=True)
def people(request):
    """Which facility user is which person on the board: what their own calendar shows."""
    form = PersonLinkForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        made = call_service(form, services.link_person, actor=request.user)
        if made is not None:
            return redirect("portal:people")
        status = 422
    links = PersonLink.objects.select_related("user", "resource").order_by("resource__name")
    return render(
        request, "portal/people.html", {"form": form, "links": links[:500]}, status=status
    )


@capability_required(MANAGE_USERS, internal=True)
def unlink(request, pk: int):
    link = get_object_or_404(PersonLink.objects.select_related("user", "resource"), pk=pk)
    return confirm_action(
        request,
        act=lambda: services.unlink_person(link, actor=request.user),
        done_url=reverse("portal:people"),
        done_message=f"{link.user} is no longer {link.resource.name}",
        title=f"Unlink {link.user} from {link.resource.name}",
        explain="Their own calendar feed stops answering until they are linked again.",
        button="Unlink",
        cancel_url=reverse("portal:people"),
    )
