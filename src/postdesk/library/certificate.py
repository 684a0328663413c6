"""The destruction certificate as a PDF (WeasyPrint): the facility, the certificate
number, each item destroyed by barcode and title, the method, the date, the witness, the
approval and the client's sign-off."""

from django.template.loader import render_to_string

from postdesk.core import facility
from postdesk.library.models import DestructionRequest


def destruction_certificate(request: DestructionRequest) -> bytes:
    from weasyprint import HTML

    settings = facility.current()
    html = render_to_string(
        "library/pdf/destruction_certificate.html",
        {
            "req": request,
            "items": list(request.items.select_related("production").order_by("barcode")),
            "facility": settings,
        },
    )
    return HTML(string=html).write_pdf()
