"""Screening pages: a production's screenings with invitees and seats, booking one,
inviting, and the invitee's RSVP page (no sign-in: the link's token is the key)."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.coordination import attendance, queries, screenings
from postdesk.coordination.forms import InviteForm, RsvpForm, ScreeningForm
from postdesk.coordination.models import Invitee, Screening
from postdesk.coordination.screening_forms import AttendanceForm, FeedbackForm
from postdesk.core.errors import DomainError
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import add_refusal, form_page

RULE = {"internal": True}


@capability_required(VIEW_DELIVERABLES, **RULE)
def screening_list(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    rows = (
        Screening.objects.filter(production=prod)
        .select_related("room")
        .prefetch_related("invitees", "walk_ins", "feedback")
    )
    return render(
        request,
        "coordination/screenings.html",
        {
            "production": prod,
            "screenings": [
                (s, screenings.capacity(s), screenings.seats_taken(s), attendance.attendance(s))
                for s in rows[:50]
            ],
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **RULE),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def screening_new(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    back = reverse("coordination:screenings", args=[prod.pk])
    return form_page(
        request,
        ScreeningForm(request.POST or None, production=prod),
        screenings.book_screening,
        actor=request.user,
        done=lambda s: (f"Screening of {s.cut_version} booked.", back),
        title=f"Book a screening of {prod.title}",
        cancel_url=back,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def invite(request, pk: int):
    screening = get_object_or_404(Screening, pk=pk)
    back = reverse("coordination:screenings", args=[screening.production_id])
    return form_page(
        request,
        InviteForm(request.POST or None),
        lambda **data: screenings.invite(screening, actor=request.user, **data),
        done=lambda i: (f"Invited {i.name}.", back),
        title=f"Invite to the screening of {screening.cut_version}",
        cancel_url=back,
    )


def rsvp(request, pk: int, token: str):
    """The invitee's answer. An unknown token, or one of another screening, is a 404."""
    invitee = (
        Invitee.objects.select_related("screening__production")
        .filter(screening_id=pk, token=token)
        .first()
    )
    if invitee is None:
        raise Http404("No such invitation")
    form = RsvpForm(request.POST or None)
    done = False
    if request.method == "POST" and form.is_valid():
        try:
            invitee = screenings.respond(screening_id=pk, token=token, **form.cleaned_data)
            done = True
        except DomainError as exc:
            add_refusal(form, exc)
    return render(
        request,
        "coordination/rsvp.html",
        {"invitee": invitee, "screening": invitee.screening, "form": form, "done": done},
        status=400 if form.errors else 200,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def attendance_take(request, pk: int):
    screening = get_object_or_404(Screening, pk=pk)
    back = reverse("coordination:screenings", args=[screening.production_id])
    return form_page(
        request,
        AttendanceForm(request.POST or None, screening=screening),
        lambda **data: attendance.record_attendance(screening, actor=request.user, **data),
        done=lambda s: ("Attendance recorded.", back),
        title=f"Who came to the screening of {screening.cut_version}",
        cancel_url=back,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def feedback_new(request, pk: int):
    screening = get_object_or_404(Screening, pk=pk)
    back = reverse("coordination:screenings", args=[screening.production_id])
    return form_page(
        request,
        FeedbackForm(request.POST or None),
        lambda **data: attendance.add_feedback(screening, actor=request.user, **data),
        done=lambda n: ("Feedback noted.", back),
        title=f"Feedback on the screening of {screening.cut_version}",
        cancel_url=back,
    )
