"""A production's documents: the list with every version, the upload forms, and the
download of any version (served from storage, named by its cleaned upload name)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from postdesk.coordination import documents, queries
from postdesk.coordination.forms import DocumentForm, VersionForm, VersionRequestForm
from postdesk.coordination.models import Document, DocumentVersion
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page, press

RULE = {"internal": True}


@capability_required(VIEW_DELIVERABLES, **RULE)
def document_list(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    docs = (
        Document.objects.filter(production=prod)
        .select_related("version_requested_by")
        .prefetch_related("versions")
    )
    return render(
        request,
        "coordination/documents.html",
        {
            "production": prod,
            "documents": docs,
            "can_manage": allowed(request.user, MANAGE_DELIVERABLES, **RULE),
        },
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def document_new(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    back = reverse("coordination:documents", args=[prod.pk])
    return form_page(
        request,
        form,
        documents.upload_document,
        production=prod,
        actor=request.user,
        done=lambda v: (f"Uploaded {v.document.title} v1.", back),
        title=f"Upload a document to {prod.title}",
        cancel_url=back,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def version_new(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    form = VersionForm(request.POST or None, request.FILES or None)
    back = reverse("coordination:documents", args=[document.production_id])
    return form_page(
        request,
        form,
        lambda file: documents.add_version(document, file=file, actor=request.user),
        done=lambda v: (f"Uploaded {document.title} v{v.number}.", back),
        title=f"New version of {document.title}",
        cancel_url=back,
    )


@capability_required(MANAGE_DELIVERABLES, **RULE)
def version_request(request, pk: int):
    """Ask for a new version: it waits on the coordinator's desk until uploaded."""
    document = get_object_or_404(Document, pk=pk)
    back = reverse("coordination:documents", args=[document.production_id])
    return form_page(
        request,
        VersionRequestForm(request.POST or None),
        lambda **data: documents.request_version(document, actor=request.user, **data),
        done=lambda d: (f"A new version of {d.title} is requested.", back),
        title=f"Ask for a new version of {document.title}",
        cancel_url=back,
    )


@require_POST
@capability_required(MANAGE_DELIVERABLES, **RULE)
def request_withdraw(request, pk: int):
    document = get_object_or_404(Document, pk=pk)
    press(
        request,
        lambda: documents.withdraw_request(document, actor=request.user),
        f"The request for a new version of {document.title} is withdrawn.",
    )
    return redirect(reverse("coordination:documents", args=[document.production_id]))


@capability_required(VIEW_DELIVERABLES, **RULE)
def version_download(request, pk: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
