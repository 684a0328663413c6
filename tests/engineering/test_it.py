"""Signal paths, machines and network ports, and licences with their due list."""

import datetime

import pytest

from postdesk.core.errors import InvalidInput
from postdesk.engineering import queries, services
from postdesk.engineering.models import SignalPath

D = datetime.date


def test_licences_due_are_listed_soonest_first_up_to_the_day(users, rooms):
    engineer = users["engineer"]
    host = services.create_machine(
        actor=engineer,
        room=rooms["grade1"],
        hostname="grade1-bl",
        ip_address="10.0.20.11",
        vlan=20,
        switch_port="sw-core-1 Gi1/0/11",
        os="Rocky Linux 9",
    )
    services.create_licence(
        actor=engineer, product="Baselight TWO", machine=host, renews_on=D(2026, 3, 31)
    )
    services.create_licence(
        actor=engineer, product="Avid MC", room=rooms["edit"], renews_on=D(2026, 3, 2)
    )
    services.create_licence(
        actor=engineer, product="Later", room=rooms["edit"], renews_on=D(2026, 4, 1)
    )
    assert [x.product for x in queries.licences_due(by=D(2026, 3, 31))] == [
        "Avid MC",
        "Baselight TWO",
    ]
    with pytest.raises(InvalidInput, match="Hostname already exists"):
        services.create_machine(actor=engineer, room=rooms["grade2"], hostname="grade1-bl")
    with pytest.raises(InvalidInput):
        services.create_machine(actor=engineer, room=rooms["grade2"], hostname="x", vlan=5000)


def test_the_api_records_machines_and_the_signal_path(api_as, rooms):
    api = api_as("engineer")
    made = api.post(
        "engineering/machines",
        {
            "room": rooms["grade1"].pk,
            "hostname": "grade1-ws",
            "ip_address": "10.0.20.12",
            "vlan": 20,
        },
    )
    assert made.status_code == 201, made.content
    assert made.json()["ip_address"] == "10.0.20.12"
    bad = api.post(
        "engineering/machines",
        {"room": rooms["grade1"].pk, "hostname": "x", "ip_address": "10.0.20.300"},
    )
    assert bad.status_code == 422
    saved = api.put(
        f"engineering/rooms/{rooms['grade1'].pk}/signal-path",
        {"text": "SDI 12G from Baselight to BVM via Videohub out 4"},
    )
    assert saved.status_code == 200
    assert (
        api_as("bookings")
        .get(f"engineering/rooms/{rooms['grade1'].pk}/signal-path")
        .json()["text"]
        .startswith("SDI 12G")
    )
    assert (
        api_as("bookings")
        .put(f"engineering/rooms/{rooms['grade1'].pk}/signal-path", {"text": "x"})
        .status_code
        == 403
    )


def test_a_diagram_is_stored_under_a_name_of_our_own(page_as, rooms, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile(
        "../../grade 1.pdf", b"%PDF-1.4 diagram", content_type="application/pdf"
    )
    response = page_as("engineer").post(
        f"/engineering/rooms/{rooms['grade1'].pk}/signal-path/",
        {"text": "See diagram", "diagram": upload},
    )
    assert response.status_code == 302
    path = SignalPath.objects.get()
    assert path.diagram.name.startswith("engineering/signal-paths/") and path.diagram.name.endswith(
        ".pdf"
    )
    assert "grade" not in path.diagram.name
