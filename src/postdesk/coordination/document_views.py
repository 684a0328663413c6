"""A production's documents: the list with every version, the upload forms, and the
download of any version (served from storage, named by its cleaned upload name)."""

from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from postdesk.coordination import documents, queries
from postdesk.coordination.forms import DocumentForm, VersionForm
from postdesk.coordination.models import Document, DocumentVersion
from postdesk.core.roles import MANAGE_DELIVERABLES, VIEW_DELIVERABLES
from postdesk.web.access import allowed, capability_required
from postdesk.web.forms import form_page

RULE = {"internal": True}


@capability_required(VIEW_DELIVERABLES, **RULE)
def document_list(request, pk: int):
    prod = get_object_or_404(queries.productions_for(request.user), pk=pk)
    docs = Document.objects.filter(production=prod).prefetch_related("versions")
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


@capability_required(VIEW_DELIVERABLES, **RULE)
def version_download(request, pk: int):
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=pk)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
