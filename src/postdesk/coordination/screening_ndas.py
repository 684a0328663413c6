"""The NDA a screening requires, enforced by the front desk at sign-in
(frontdesk/sign_in_requirements.py): a visitor signing in for the screening's booking,
or for its production on the day of a screening in one of the facility's rooms, signs it.
An external venue's screening is not the front desk's to police."""

from django.utils import timezone

from postdesk.coordination.models import Screening
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk import sign_in_requirements
from postdesk.frontdesk.sign_in_requirements import NdaRequirement

TEXT = (
    "I will keep confidential everything I see and hear at the screening of {title} "
    "({cut}) on {day}: I will not record, copy, describe or share any of it."
)


def screening_ndas(booking, production_id, now) -> list[NdaRequirement]:
    """One query: the NDA-required screenings this sign-in is for."""
    zone = facility_zone()
    rows = Screening.objects.filter(nda_required=True)
    if booking is not None:
        rows = rows.filter(booking_id=booking.pk)
    else:
        start, end = local_day_bounds(timezone.localtime(now, zone).date(), zone)
        rows = rows.filter(
            production_id=production_id,
            room__isnull=False,
            starts_at__gte=start,
            starts_at__lt=end,
        )
    found = []
    for cut, title, starts in rows.order_by("starts_at", "pk").values_list(
        "cut_version", "production__title", "starts_at"
    ):
        day = f"{timezone.localtime(starts, zone):%a %d %b %Y}"
        found.append(
            NdaRequirement(
                reason=f"The screening of {title} ({cut}) requires a signed NDA",
                text=TEXT.format(title=title, cut=cut, day=day),
            )
        )
    return found


def register_with_frontdesk() -> None:
    sign_in_requirements.register(screening_ndas)
