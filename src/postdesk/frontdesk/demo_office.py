"""The front office's part of the demo day: deliveries and dispatches at the door (their
media entering and leaving the library), catering orders charged to today's sessions,
and supplies with some below their reorder level. Everything goes through the services."""

from django.utils import timezone

from postdesk.core.audit import DEMO
from postdesk.core.errors import DomainError
from postdesk.core.timeutil import facility_zone, local_day_bounds
from postdesk.frontdesk import catering, supplies, traffic
from postdesk.library import services as library
from postdesk.library.models import Location, MediaItem
from postdesk.scheduling.models import Booking

SUPPLIES = [
    # name, unit, quantity, reorder level, supplier
    ("Oat milk", "carton", 2, 6, "Brakes"),
    ("Semi-skimmed milk", "litre", 8, 4, "Brakes"),
    ("Coffee beans", "kg", 5, 2, "Union Roasters"),
    ("Tea bags", "box", 1, 3, "Brakes"),
    ("A4 paper", "ream", 12, 5, "Office Depot"),
    ("4TB drives (blank)", "each", 6, 4, "Scan Pro Audio"),
]


def _goods_in() -> Location | None:
    site = Location.objects.filter(kind="site", archived=False).order_by("pk").first()
    if site is None:
        return None
    return library.create_location(
        actor=DEMO, name="Goods in", kind="room", parent=site, barcode=f"{site.barcode}-GI"
    )


def traffic_day(people: dict) -> str:
    reception = people["reception"]
    door = _goods_in()
    media = []
    if door is not None:
        media = [
            {
                "title": "Ep 4 rushes, day 12",
                "kind": "drive",
                "format": "ssd",
                "generation": "camera_original",
            },
        ]
    traffic.record_delivery(
        actor=reception,
        courier="DHL Express",
        tracking="JD014600003827",
        description="Rushes drive from the shoot",
        sender="Second unit",
        recipient=people.get("library"),
        recipient_name="" if people.get("library") else "Library",
        location=door,
        media=media,
    )
    traffic.record_delivery(
        actor=reception,
        courier="Royal Mail",
        description="Signed-for letter",
        recipient=people["bookings"],
    )
    out = (
        MediaItem.objects.filter(custody="location", destroyed_at=None, archived_at=None)
        .exclude(location=door)
        .order_by("pk")
        .first()
    )
    traffic.record_dispatch(
        actor=reception,
        items="Viewing dub for the broadcaster" if out else "Contract copies",
        destination="Broadcasting House, London W1A 1AA",
        courier="Addison Lee",
        booking_reference="AL-204519",
        signed_for_by="Driver 118",
        media=[out] if out else [],
    )
    return "2 deliveries and 1 dispatch"


def catering_day(people: dict) -> str:
    start, end = local_day_bounds(timezone.localdate(), facility_zone())
    sessions = Booking.objects.filter(
        kind=Booking.Kind.JOB, status="confirmed", start__lt=end, end__gt=start
    ).select_related("job__client", "job__contact")[:3]
    placed = 0
    for i, session in enumerate(sessions):
        try:
            catering.place_order(
                actor=people["reception"],
                booking=session,
                contact=session.job.contact,
                kind="lunch" if i % 2 else "drinks",
                items="2 flat whites, 1 oat latte, 1 peppermint tea"
                if i % 2 == 0
                else "4 x wraps, 1 vegan",
                dietary="" if i % 2 == 0 else "one vegan",
                covers=4,
                supplier="Bar Italia" if i % 2 == 0 else "Pret, Wardour St",
                cost="14.20" if i % 2 == 0 else "31.60",
                service="Catering",
            )
        except DomainError:  # no price for catering on this client's card, a signed sheet
            continue
        placed += 1
    return f"{placed} catering orders"


def supplies_list(people: dict) -> str:
    for name, unit, quantity, level, supplier in SUPPLIES:
        supplies.add_stock_item(
            actor=people["reception"],
            name=name,
            unit=unit,
            quantity=quantity,
            reorder_level=level,
            supplier=supplier,
        )
    return f"{len(SUPPLIES)} stock items ({supplies.shopping_list().count()} to buy)"
