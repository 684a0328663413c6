"""Retention and destruction: request, a supervisor's approval with the client's sign-off,
done before a witness (items destroyed with a DESTROY movement, a certificate number),
refusals for holds and live copies, and the certificate PDF."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from postdesk.core.errors import Forbidden, InvalidTransition
from postdesk.library import certificates, services
from postdesk.library.models import DestructionRequest, MediaItem, Movement
from postdesk.library.services.common import place_key, place_of

pytestmark = pytest.mark.django_db

SIGNED = datetime.date(2026, 11, 20)


@pytest.fixture
def supervisor(users):
    return users["supervisor"]


def approve(request, supervisor):
    return services.approve_destruction(
        request, actor=supervisor, client_signoff_name="Hannah Reid", client_signoff_date=SIGNED
    )


def test_request_approve_done_marks_items_destroyed_with_a_certificate(
    register, librarian, supervisor, job
):
    master = register(title="Ep1 master", job=job)
    dub = register(title="Ep1 dub", generation="dub", parents=[master])

    request = services.request_destruction(
        [master, dub], actor=librarian, method="shred", reason="Retention ended"
    )
    approve(request, supervisor)
    done = services.complete_destruction(request, actor=librarian, witness="Pat Witness")

    assert done.status == DestructionRequest.Status.DONE
    assert done.certificate_number == 1
    assert (done.client_signoff_name, done.client_signoff_date) == ("Hannah Reid", SIGNED)
    for item in (master, dub):
        item.refresh_from_db()
        assert item.destroyed_at == done.destroyed_at
        last = item.movements.order_by("-at", "-id").first()
        assert last.action == Movement.Action.DESTROY
        assert last.signer_name == "Pat Witness"
        # The record stays where the item last was, so its history still replays.
        assert place_key(last.to_place) == place_key(place_of(item))
    with pytest.raises(services.ItemDestroyed):
        services.move(master, master.location, actor=librarian)


def test_certificate_numbers_count_up(register, librarian, supervisor):
    numbers = []
    for _ in range(2):
        request = services.request_destruction(
            [register()], actor=librarian, method="degauss", reason="Expired"
        )
        approve(request, supervisor)
        numbers.append(
            services.complete_destruction(request, actor=librarian, witness="W").certificate_number
        )
    assert numbers == [1, 2]


def test_items_on_hold_are_refused(register, librarian):
    held = register(barcode="HELD-1", on_hold=True)

    with pytest.raises(services.DestructionRefused) as refused:
        services.request_destruction([held], actor=librarian, method="shred", reason="x")

    assert refused.value.details == {"on_hold": ["HELD-1"]}
    assert DestructionRequest.objects.count() == 0


def test_live_copies_left_out_of_the_request_are_refused(register, librarian):
    master = register(barcode="M-1")
    dub = register(barcode="D-1", generation="dub", parents=[master])
    register(barcode="D-2", generation="dub", parents=[dub])

    with pytest.raises(services.DestructionRefused) as refused:
        services.request_destruction([master], actor=librarian, method="shred", reason="x")

    assert refused.value.details == {"live_copies": ["D-1", "D-2"]}


def test_a_hold_placed_after_approval_stops_the_destruction(register, librarian, supervisor):
    item = register(barcode="T-1")
    request = services.request_destruction([item], actor=librarian, method="shred", reason="x")
    approve(request, supervisor)
    services.update_item(item, actor=librarian, on_hold=True)

    with pytest.raises(services.DestructionRefused):
        services.complete_destruction(request, actor=librarian, witness="W")

    item.refresh_from_db()
    assert item.destroyed_at is None
    assert DestructionRequest.objects.get().status == DestructionRequest.Status.APPROVED


def test_only_a_supervisor_other_than_the_requester_approves(register, librarian, users):
    request = services.request_destruction(
        [register()], actor=librarian, method="shred", reason="x"
    )
    with pytest.raises(Forbidden):
        approve(request, librarian)
    with pytest.raises(InvalidTransition):
        services.complete_destruction(request, actor=librarian, witness="W")
    admin_request = services.request_destruction(
        [register()], actor=users["admin"], method="shred", reason="x"
    )
    with pytest.raises(Forbidden):
        approve(admin_request, users["admin"])


def test_rejection_records_why_and_ends_the_request(register, librarian, supervisor):
    request = services.request_destruction(
        [register()], actor=librarian, method="shred", reason="x"
    )

    services.reject_destruction(request, actor=supervisor, reason="Client wants it kept")

    request.refresh_from_db()
    assert (request.status, request.rejection_reason) == ("rejected", "Client wants it kept")
    with pytest.raises(InvalidTransition):
        approve(request, supervisor)


def test_the_certificate_lists_each_item_with_method_date_and_witness(
    register, librarian, supervisor
):
    register(barcode="KEEP-1", title="Not destroyed")
    items = [register(barcode=f"GONE-{n}", title=f"Rushes reel {n}") for n in (1, 2)]
    request = services.request_destruction(
        items, actor=librarian, method="degauss", reason="Retention ended"
    )
    with pytest.raises(InvalidTransition):
        certificates.destruction_certificate_pdf(request)
    approve(request, supervisor)
    done = services.complete_destruction(request, actor=librarian, witness="Pat Witness")

    data = certificates.destruction_certificate_pdf(done)

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Certificate of destruction" in text
    assert "No. 000001" in text
    for barcode, title in (("GONE-1", "Rushes reel 1"), ("GONE-2", "Rushes reel 2")):
        assert barcode in text and title in text
    assert "KEEP-1" not in text
    assert "Degaussing and shredding" in text
    assert "Pat Witness" in text
    assert timezone.localtime(done.destroyed_at).strftime("%-d %B %Y") in text
    assert "Hannah Reid" in text
    assert certificates.certificate_filename(done) == "destruction-certificate-000001.pdf"
    assert MediaItem.objects.filter(destroyed_at__isnull=False).count() == 2
