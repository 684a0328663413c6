"""Library fixtures: a librarian, a small vault (site › vault › two racks › shelves) and
a way to register items quickly."""

import datetime

import pytest
from django.utils import timezone

from postdesk.library import services


@pytest.fixture
def librarian(make_user):
    return make_user("library", "librarian")


@pytest.fixture
def vault(librarian, site):
    """{"site", "vault", "rack1", "rack2", "shelf1", "shelf2", "shelf3"}: shelf1 and shelf2
    on rack1, shelf3 on rack2."""

    def loc(name, kind, parent=None, barcode=""):
        return services.create_location(
            actor=librarian, name=name, kind=kind, parent=parent, barcode=barcode, site=site
        )

    places = {"site": loc("Soho", "site", barcode="LOC-SOHO")}
    places["vault"] = loc("Vault A", "vault", places["site"], "LOC-VAULT-A")
    places["rack1"] = loc("Rack 1", "rack", places["vault"], "LOC-VAULT-A-R1")
    places["rack2"] = loc("Rack 2", "rack", places["vault"], "LOC-VAULT-A-R2")
    places["shelf1"] = loc("Shelf 1", "shelf", places["rack1"], "LOC-VAULT-A-R1-S1")
    places["shelf2"] = loc("Shelf 2", "shelf", places["rack1"], "LOC-VAULT-A-R1-S2")
    places["shelf3"] = loc("Shelf 3", "shelf", places["rack2"], "LOC-VAULT-A-R2-S3")
    return places


@pytest.fixture
def register(librarian, vault):
    """register(**fields) -> a tape master on shelf 1 unless told otherwise."""

    def make(**fields):
        values = {
            "actor": librarian,
            "title": "The Long Tide ep1 master",
            "kind": "tape",
            "format": "hdcam_sr",
            "generation": "master",
        }
        values.update(fields)
        if not {"location", "holder", "holder_name", "courier"} & set(fields):
            values["location"] = vault["shelf1"]
        return services.register_item(**values)

    return make


@pytest.fixture
def next_week():
    return timezone.localdate() + datetime.timedelta(days=7)
