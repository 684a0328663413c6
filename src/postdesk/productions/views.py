"""Pages for clients, productions and jobs: the same capabilities and scope as the API."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.core.roles import CHANGE_CLIENTS, CHANGE_MONEY, VIEW_CLIENTS
from postdesk.productions import lists, queries, services
from postdesk.productions.forms import ClientForm, ContactForm, JobForm, ProductionForm
from postdesk.productions.models import Job, Production
from postdesk.productions.visibility import CLIENT, PRODUCTION
from postdesk.web.access import allowed, capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import form_page
from postdesk.web.listing import for_page, list_page

# The API's lists (productions/lists.py), with the columns these pages sort by and the
# details their search also reads.
CLIENT_LIST = for_page(
    lists.CLIENTS,
    search=("vat_number",),
    sorts={"country": "country", "productions": "production_count"},
)
PRODUCTION_LIST = for_page(lists.PRODUCTIONS, sorts={"status": "status"})
JOB_LIST = for_page(lists.JOBS, sorts={"production": "production__title", "status": "status"})


def _confirm_delete(request, obj, *, delete, cancel_url: str, done_url: str, what: str):
    """GET asks; POST deletes through the service, or explains why it may not (409)."""
    return confirm_action(
        request,
        act=lambda: delete(obj, actor=request.user),
        done_url=done_url,
        done_message=f"Deleted {what} {obj}.",
        title=f"Delete {what} “{obj}”?",
        explain="This cannot be undone. The audit log keeps a record of what was deleted.",
        button=f"Delete {what}",
        cancel_url=cancel_url,
    )


# --- clients --------------------------------------------------------------------------


@capability_required(VIEW_CLIENTS)
def client_list(request):
    context = list_page(request, queries.clients_with_counts(request.user), CLIENT_LIST)
    context["can_change"] = allowed(request.user, CHANGE_CLIENTS)
    context["shows"] = CLIENT.shown(request.user)
    return render(request, "productions/client_list.html", context)


@capability_required(VIEW_CLIENTS)
def client_detail(request, pk: int):
    client = get_object_or_404(queries.clients_for(request.user), pk=pk)
    return render(
        request,
        "productions/client_detail.html",
        {
            "client": client,
            "contacts": list(client.contacts.all()),
            "productions": list(client.productions.select_related("supervisor")),
            "can_change": allowed(request.user, CHANGE_CLIENTS),
            "shows": CLIENT.shown(request.user),
        },
    )


@capability_required(CHANGE_CLIENTS)
def client_create(request):
    return form_page(
        request,
        ClientForm(request.POST or None),
        services.create_client,
        actor=request.user,
        done=lambda client: (
            f"Created client {client}.",
            reverse("client-detail", kwargs={"pk": client.pk}),
        ),
        title="New client",
        cancel_url=reverse("clients"),
    )


@capability_required(CHANGE_CLIENTS)
def client_edit(request, pk: int):
    client = get_object_or_404(queries.clients_for(request.user), pk=pk)
    form = ClientForm(request.POST or None, instance=client)
    cancel = reverse("client-detail", args=[pk])
    return form_page(
        request,
        form,
        services.update_client,
        client=client,
        actor=request.user,
        done=lambda _: (f"Saved client {form.cleaned_data['name']}.", cancel),
        title=f"Edit {client}",
        cancel_url=cancel,
    )


@capability_required(CHANGE_CLIENTS)
def client_delete(request, pk: int):
    client = get_object_or_404(queries.clients_for(request.user), pk=pk)
    return _confirm_delete(
        request,
        client,
        delete=lambda obj, actor: services.delete_client(obj, actor=actor),
        cancel_url=reverse("client-detail", args=[pk]),
        done_url=reverse("clients"),
        what="client",
    )


# --- contacts (on their client's page) --------------------------------------------------


@capability_required(CHANGE_CLIENTS)
def contact_create(request, client_pk: int):
    client = get_object_or_404(queries.clients_for(request.user), pk=client_pk)
    back = reverse("client-detail", args=[client.pk])
    return form_page(
        request,
        ContactForm(request.POST or None),
        services.create_contact,
        client=client,
        actor=request.user,
        done=lambda contact: (f"Added {contact.name} to {client}.", back),
        title=f"New contact at {client}",
        cancel_url=back,
    )


@capability_required(CHANGE_CLIENTS)
def contact_edit(request, pk: int):
    contact = get_object_or_404(queries.contacts_for(request.user), pk=pk)
    form = ContactForm(request.POST or None, instance=contact)
    back = reverse("client-detail", args=[contact.client_id])
    return form_page(
        request,
        form,
        services.update_contact,
        contact=contact,
        actor=request.user,
        done=lambda _: (f"Saved contact {form.cleaned_data['name']}.", back),
        title=f"Edit contact {contact.name}",
        cancel_url=back,
    )


@capability_required(CHANGE_CLIENTS)
def contact_delete(request, pk: int):
    contact = get_object_or_404(queries.contacts_for(request.user), pk=pk)
    back = reverse("client-detail", args=[contact.client_id])
    return _confirm_delete(
        request,
        contact,
        delete=lambda obj, actor: services.delete_contact(obj, actor=actor),
        cancel_url=back,
        done_url=back,
        what="contact",
    )


# --- productions ----------------------------------------------------------------------


@capability_required(VIEW_CLIENTS)
def production_list(request):
    qs = queries.productions_for(request.user)
    if request.GET.get("mine"):  # the home card's "your productions"
        qs = qs.filter(supervisor=request.user)
    context = list_page(request, qs, PRODUCTION_LIST)
    context.update(
        can_change=allowed(request.user, CHANGE_CLIENTS),
        statuses=Production.Status.choices,
        status=context["filters"].get("status", ""),
    )
    return render(request, "productions/production_list.html", context)


@capability_required(VIEW_CLIENTS)
def production_detail(request, pk: int):
    production = get_object_or_404(queries.productions_for(request.user), pk=pk)
    return render(
        request,
        "productions/production_detail.html",
        {
            "production": production,
            "jobs": list(production.jobs.select_related("contact", "owner")),
            "can_change": allowed(request.user, CHANGE_CLIENTS),
            "shows": PRODUCTION.shown(request.user),
        },
    )


@capability_required(CHANGE_CLIENTS)
def production_create(request):
    initial = {}
    if request.GET.get("client", "").isdigit():
        initial["client"] = request.GET["client"]
    return form_page(
        request,
        ProductionForm(request.POST or None, user=request.user, initial=initial),
        services.create_production,
        actor=request.user,
        done=lambda production: (
            f"Created production {production}.",
            reverse("production-detail", kwargs={"pk": production.pk}),
        ),
        title="New production",
        cancel_url=reverse("productions"),
    )


@capability_required(CHANGE_CLIENTS)
def production_edit(request, pk: int):
    production = get_object_or_404(queries.productions_for(request.user), pk=pk)
    cancel = reverse("production-detail", args=[pk])
    return form_page(
        request,
        ProductionForm(request.POST or None, instance=production, user=request.user),
        services.update_production,
        production=production,
        actor=request.user,
        done=lambda saved: (f"Saved production {saved}.", cancel),
        title=f"Edit {production}",
        cancel_url=cancel,
    )


@capability_required(CHANGE_CLIENTS)
def production_delete(request, pk: int):
    production = get_object_or_404(queries.productions_for(request.user), pk=pk)
    return _confirm_delete(
        request,
        production,
        delete=lambda obj, actor: services.delete_production(obj, actor=actor),
        cancel_url=reverse("production-detail", args=[pk]),
        done_url=reverse("productions"),
        what="production",
    )


# --- jobs -----------------------------------------------------------------------------


@capability_required(VIEW_CLIENTS)
def job_list(request):
    qs = queries.jobs_for(request.user)
    if request.GET.get("mine"):  # the home card's "your jobs"
        qs = qs.filter(owner=request.user)
    context = list_page(request, qs, JOB_LIST)
    context.update(
        can_change=allowed(request.user, CHANGE_CLIENTS),
        statuses=Job.Status.choices,
        status=context["filters"].get("status", ""),
    )
    return render(request, "productions/job_list.html", context)


@capability_required(VIEW_CLIENTS)
def job_detail(request, pk: int):
    job = get_object_or_404(queries.jobs_for(request.user), pk=pk)
    return render(
        request,
        "productions/job_detail.html",
        {
            "job": job,
            "bookings": list(queries.job_bookings(job)),
            "can_change": allowed(request.user, CHANGE_CLIENTS),
            # The billing section (job sheets, invoices, "Invoice this job").
            "can_invoice": allowed(request.user, CHANGE_MONEY),
        },
    )


@capability_required(CHANGE_CLIENTS)
def job_create(request):
    initial = {}
    if request.GET.get("production", "").isdigit():
        initial["production"] = request.GET["production"]
    return form_page(
        request,
        JobForm(request.POST or None, user=request.user, initial=initial),
        services.create_job,
        actor=request.user,
        done=lambda job: (
            f"Created job {job.number}.",
            reverse("job-detail", kwargs={"pk": job.pk}),
        ),
        title="New job",
        cancel_url=reverse("jobs"),
    )


@capability_required(CHANGE_CLIENTS)
def job_edit(request, pk: int):
    job = get_object_or_404(queries.jobs_for(request.user), pk=pk)
    cancel = reverse("job-detail", args=[pk])
    return form_page(
        request,
        JobForm(request.POST or None, instance=job, user=request.user),
        services.update_job,
        job=job,
        actor=request.user,
        done=lambda _: (f"Saved job {job.number}.", cancel),
        title=f"Edit job {job.number}",
        cancel_url=cancel,
    )


@capability_required(CHANGE_CLIENTS)
def job_delete(request, pk: int):
    job = get_object_or_404(queries.jobs_for(request.user), pk=pk)
    return _confirm_delete(
        request,
        job,
        delete=lambda obj, actor: services.delete_job(obj, actor=actor),
        cancel_url=reverse("job-detail", args=[pk]),
        done_url=reverse("jobs"),
        what="job",
    )
