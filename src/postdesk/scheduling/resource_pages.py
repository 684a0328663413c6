"""Pages that change resources: new, edit, archive and restore (manage_resources).

Thin, as the API is: the form validates, the scheduling services write and audit. There
is no delete from the pages: a resource leaves the board by being archived, which keeps
its bookings and history and can be undone.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from postdesk.core.roles import MANAGE_RESOURCES
from postdesk.scheduling import services
from postdesk.scheduling.models import Resource
from postdesk.scheduling.resource_forms import ResourceForm
from postdesk.web.access import capability_required
from postdesk.web.confirm import confirm_action
from postdesk.web.forms import form_page

TEMPLATE = "scheduling/resource_form.html"


def _detail(resource: Resource) -> str:
    return reverse("scheduling:resource", args=[resource.pk])


@capability_required(MANAGE_RESOURCES)
def resource_create(request):
    return form_page(
        request,
        ResourceForm(request.POST or None, user=request.user),
        services.create_resource,
        actor=request.user,
        done=lambda resource: (
            f"Created {resource.get_kind_display().lower()} {resource.name}.",
            _detail(resource),
        ),
        title="New resource",
        cancel_url=reverse("scheduling:resources"),
        template=TEMPLATE,
    )


@capability_required(MANAGE_RESOURCES)
def resource_edit(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    return form_page(
        request,
        ResourceForm(request.POST or None, instance=resource, user=request.user),
        services.update_resource,
        resource=resource,
        actor=request.user,
        done=lambda saved: (f"Saved {saved.name}.", _detail(saved)),
        title=f"Edit {resource.name}",
        cancel_url=_detail(resource),
        template=TEMPLATE,
    )


def _confirm(request, resource: Resource, *, change, verb: str, explanation: str, done: str):
    """GET asks; POST changes through the service, or says why it may not (409)."""
    return confirm_action(
        request,
        act=lambda: change(resource, actor=request.user),
        done_url=_detail(resource),
        done_message=done,
        title=f"{verb} {resource.get_kind_display().lower()} “{resource.name}”?",
        explain=explanation,
        button=f"{verb} {resource.name}",
        cancel_url=_detail(resource),
        danger=verb == "Archive",
    )


@capability_required(MANAGE_RESOURCES)
def resource_archive(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    return _confirm(
        request,
        resource,
        change=services.archive_resource,
        verb="Archive",
        explanation=(
            f"{resource.name} leaves the board and the resource list and can no longer be "
            "booked. Its past bookings and history stay, and it can be restored at any time. "
            "A resource with pencils or confirmed bookings ahead cannot be archived until "
            "they are moved or cancelled."
        ),
        done=f"Archived {resource.name}.",
    )


@capability_required(MANAGE_RESOURCES)
def resource_restore(request, resource_id: int):
    resource = get_object_or_404(Resource, pk=resource_id)
    return _confirm(
        request,
        resource,
        change=services.restore_resource,
        verb="Restore",
        explanation=f"{resource.name} returns to the board and the resource list and can "
        "be booked again.",
        done=f"Restored {resource.name}.",
    )
