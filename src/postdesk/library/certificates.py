"""The destruction certificate as PDF (WeasyPrint: HTML and CSS to PDF, as billing's
documents): the facility's letterhead, the certificate number, each item by barcode and
title (with its client and production), the method, the date, the witness, who approved
it and the client's sign-off."""

from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.core import facility
from postdesk.core.errors import InvalidTransition
from postdesk.library.models import DestructionRequest


def certificate_filename(request: DestructionRequest) -> str:
    return f"destruction-certificate-{request.certificate_number:06d}.pdf"


def destruction_certificate_pdf(request: DestructionRequest) -> bytes:
    """The certificate of a destruction carried out (status done); refused before."""
    from weasyprint import HTML

    if request.status != DestructionRequest.Status.DONE or request.certificate_number is None:
        raise InvalidTransition("A certificate exists only once the destruction is done")
    settings = facility.current()
    items = list(request.items.select_related("client", "production").order_by("barcode"))
    html = render_to_string(
        "library/pdf/destruction_certificate.html",
        {
            "request": request,
            "facility": settings,
            "address_lines": [line for line in settings.address.splitlines() if line.strip()],
            "logo": facility.logo_data_uri(settings),
            "items": items,
            "destroyed_on": timezone.localtime(request.destroyed_at).date(),
            "approved_by": request.approved_by.display_name if request.approved_by else "",
            "requested_by": request.requested_by.display_name,
        },
    )
    return HTML(string=html).write_pdf()
