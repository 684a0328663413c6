"""Background work for the portal: booking invitations mailed by the worker."""

from django_tasks import task

from postdesk.core import mailing
from postdesk.productions.models import Contact
from postdesk.scheduling.models import Booking

from . import invitations


@task()
def mail_booking_invitation(booking_id: int, contact_id: int, attempt: int = 1) -> str:
    """Enqueued by services.send_booking_invitation once it commits."""
    booking = Booking.objects.select_related("job__production").filter(pk=booking_id).first()
    contact = Contact.objects.filter(pk=contact_id).first()
    if booking is None or contact is None or not contact.email:
        return f"booking {booking_id}: no invitation to mail"
    return mailing.deliver(
        lambda: invitations.invitation(booking, contact),
        about=booking,
        what="booking invitation",
        task=mail_booking_invitation,
        task_args=(booking_id, contact_id),
        attempt=attempt,
    )
