"""The mail the front desk sends: a host's visitor has arrived."""

from django.core.mail import EmailMessage
from django.utils import timezone

from postdesk.core.timeutil import facility_zone
from postdesk.frontdesk.models import Visit


def arrived_visit(visit_id: int) -> Visit | None:
    return Visit.objects.select_related("host").filter(pk=visit_id).first()


def arrival_notice(visit: Visit) -> EmailMessage:
    at = timezone.localtime(visit.signed_in_at, facility_zone()).strftime("%H:%M")
    who = f"{visit.name} ({visit.company})" if visit.company else visit.name
    return EmailMessage(
        subject=f"Your visitor {visit.name} is at reception",
        body=f"{who} signed in at {at} and is waiting at reception.\n",
        to=[visit.host.email],
    )
