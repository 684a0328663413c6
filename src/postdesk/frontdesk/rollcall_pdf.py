"""The roll call on paper: the three lists and the instant they were taken."""

from django.template.loader import render_to_string
from django.utils import timezone

from postdesk.core.timeutil import facility_zone


def render(data: dict) -> bytes:
    from weasyprint import HTML

    context = {**data, "as_of_local": timezone.localtime(data["as_of"], facility_zone())}
    return HTML(string=render_to_string("frontdesk/roll_call_pdf.html", context)).write_pdf()
