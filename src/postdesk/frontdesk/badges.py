"""The visitor's badge: a 62 x 100 mm PDF for the Brother QL label printers (name,
company, host, date and a QR code of the visit, which reception scans to sign out)."""

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.core.timeutil import facility_zone
from postdesk.frontdesk.models import Visit


def qr_data_uri(text: str) -> str:
    import segno

    svg = segno.make(text, error="m").svg_inline(scale=4, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def badge_pdf(visit: Visit) -> bytes:
    from weasyprint import HTML

    context = {
        "visit": visit,
        "host": visit.host.display_name if visit.host else "",
        "date": timezone.localtime(visit.signed_in_at, facility_zone()),
        "qr": qr_data_uri(f"postdesk:visit:{visit.pk}"),
    }
    return HTML(string=render_to_string("frontdesk/badge.html", context)).write_pdf()
