"""The facility's business settings: one row, made from the defaults, changed with audit."""

import datetime

import pytest

from postdesk.core import facility
from postdesk.core.errors import InvalidInput
from postdesk.core.models import AuditEntry, FacilitySettings


def test_first_read_makes_the_one_row_from_the_defaults(db, settings):
    settings.POSTDESK = {**settings.POSTDESK, "FACILITY_NAME": "Soho Post"}

    row = facility.current()

    assert (row.pk, row.name, row.country) == (1, "Soho Post", "GB")
    assert (row.board_day_start, row.board_day_end) == (datetime.time(7), datetime.time(23))
    assert facility.current().pk == 1
    assert FacilitySettings.objects.count() == 1


def test_a_change_is_audited_field_by_field(db, users):
    facility.current()

    facility.update_facility_settings(
        actor=users["admin"], vat_number="GB999999973", payment_terms_days=14
    )

    row = facility.current()
    assert (row.vat_number, row.payment_terms_days) == ("GB999999973", 14)
    entry = AuditEntry.objects.filter(object_type="core.facilitysettings").latest("id")
    assert entry.changes == {"vat_number": ["", "GB999999973"], "payment_terms_days": [30, 14]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"board_day_start": datetime.time(23), "board_day_end": datetime.time(7)}, "__all__"),
        ({"colour": "red"}, "colour"),
        ({"id": 2}, "id"),
    ],
)
def test_a_refused_change_changes_nothing(db, users, changes, field):
    before = facility.current()

    with pytest.raises(InvalidInput) as refused:
        facility.update_facility_settings(actor=users["admin"], **changes)

    assert field in refused.value.details["fields"]
    after = facility.current()
    assert (after.board_day_start, after.board_day_end) == (
        before.board_day_start,
        before.board_day_end,
    )
    assert not AuditEntry.objects.filter(object_type="core.facilitysettings").exists()


def test_the_demo_fills_only_the_details_still_blank(db, users):
    from postdesk.core import demo_facility

    facility.update_facility_settings(actor=users["admin"], vat_number="GB999999973")

    summary = demo_facility.load()

    row = facility.current()
    assert row.vat_number == "GB999999973"
    assert (row.company_number, row.address) == ("09876543", "Dean Street\nLondon W1D 3RS")
    assert summary == "facility details: 6 filled in"
    assert demo_facility.load() == "facility details: 0 filled in"
