"""ADR pages: a production's sessions, booking one (stage, mixer and talent in one
booking), importing a cue list (dry run first), marking cues recorded, the cue sheet."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.coordination import adr, call_sheets, queries
from postdesk.coordination.forms import AdrSessionForm, CueImportForm, RecordedForm
from postdesk.coordination.models import AdrSession, Cue
from postdesk.core.errors import DomainError
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.web.access import allowed, capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import add_refusal, form_page, press

RULE = {"internal": True}


@capability_required(VIEW_DELIVERABLES, **RULE)
def sessions(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    rows = (
        AdrSession.objects.filter(production=prod)
        .select_related("booking")
        .prefetch_related("cues")
    )
    return render(
        request,
        "coordination/adr_sessions.html",
        {
            "production": prod,
            "sessions": rows,
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **RULE),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def session_new(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    back = reverse("coordination:adr", args=[prod.pk])
    return form_page(
        request,
        AdrSessionForm(request.POST or None, production=prod),
        adr.book_session,
        actor=request.user,
        done=lambda s: (f"ADR session booked for {s.talent}.", back),
        title=f"Book an ADR session on {prod.title}",
        cancel_url=back,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def cue_import(request, pk: int):
    session = get_object_or_404(AdrSession.objects.select_related("production"), pk=pk)
    form = CueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > adr.MAX_CSV_BYTES:
            form.add_error("file", "A cue list CSV is at most 1 MB")
        else:
            try:
                text = upload.read().decode("utf-8-sig")
                report = adr.import_cues(
                    session, text=text, actor=request.user, dry_run=form.cleaned_data["dry_run"]
                )
            except UnicodeDecodeError:
                form.add_error("file", "The CSV must be UTF-8 text")
            except DomainError as exc:
                add_refusal(form, exc)
                report = exc.details if "problems" in exc.details else None
            else:
                if not form.cleaned_data["dry_run"]:
                    messages.success(request, f"{report['imported']} cues imported.")
                    return redirect("coordination:adr", session.production_id)
    return render(
        request,
        "coordination/cue_import.html",
        {"session": session, "form": form, "report": report},
        status=400 if form.errors else 200,
    )


@require_POST
@capability_required(MANAGE_DELIVERABLES, **RULE)
def cue_recorded(request, pk: int):
    cue = get_object_or_404(Cue.objects.select_related("session"), pk=pk)
    form = RecordedForm(request.POST)
    notes = form.cleaned_data["take_notes"] if form.is_valid() else ""
    press(
        request,
        lambda: adr.mark_recorded(cue, actor=request.user, take_notes=notes),
        f"Cue {cue.number} recorded.",
    )
    return redirect("coordination:adr", cue.session.production_id)


@capability_required(VIEW_DELIVERABLES, **RULE)
def cue_sheet(request, pk: int):
    session = get_object_or_404(AdrSession.objects.select_related("production"), pk=pk)
    response = HttpResponse(adr.cue_sheet_pdf(session), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cue-sheet-{session.pk}.pdf"'
    return response


@capability_required(MANAGE_DELIVERABLES, **RULE)
def call_sheet_send(request, pk: int):
    """Asks first: the mail goes to someone outside the facility and cannot be recalled."""
    session = get_object_or_404(AdrSession.objects.select_related("production"), pk=pk)
    back = reverse("coordination:adr", args=[session.production_id])
    to = session.agent_email or "the agent (no address yet)"
    return confirm_action(
        request,
        act=lambda: call_sheets.send_call_sheet(session, actor=request.user),
        done_url=back,
        done_message=f"Call sheet for {session.talent} on its way to {session.agent_email}.",
        title=f"Send {session.talent}'s call sheet",
        explain=f"The call sheet (PDF) is mailed to {to}. A sent mail cannot be recalled.",
        button="Send the call sheet",
        cancel_url=back,
        danger=False,
    )
