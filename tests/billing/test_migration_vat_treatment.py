"""Billing migration 0005: invoices issued before it record the treatment they already had
(reverse-charged ones "reverse_charge", the rest "domestic"), on PostgreSQL too, where
issued invoices are frozen by a trigger that must stay in force afterwards."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = ("billing", "0004_rate_card_archive")
AFTER = ("billing", "0005_vat_treatment_and_supplier")


def _migrate(billing=None):
    """Every app at its latest migration, billing at `billing` (None: its latest too);
    the models as they were then."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = [node for node in leaves if node[0] != "billing" or billing is None]
    if billing is not None:
        targets.append(billing)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_issued_invoices_keep_the_treatment_they_were_issued_with():
    # Given invoices issued before the migration, one of them reverse-charged
    old = _migrate(BEFORE)
    client = old.get_model("productions", "Client").objects.create(name="Lumière", country="FR")
    production = old.get_model("productions", "Production").objects.create(
        title="La Ville", client=client, kind="feature"
    )
    job = old.get_model("productions", "Job").objects.create(
        number="J-1", production=production, client=client, description="Grade"
    )
    invoice_model = old.get_model("billing", "Invoice")
    day = datetime.date(2026, 3, 10)
    for number, reverse in (("INV-1", True), ("INV-2", False)):
        invoice_model.objects.create(
            job=job,
            client=client,
            status="issued",
            number=number,
            issue_date=day,
            reverse_charge=reverse,
        )

    # When the migration runs
    new = _migrate(AFTER)
    try:
        # Then each records its treatment
        treatments = dict(
            new.get_model("billing", "Invoice").objects.values_list("number", "vat_treatment")
        )
        assert treatments == {"INV-1": "reverse_charge", "INV-2": "domestic"}
        # and on PostgreSQL the database still refuses to change an issued invoice
        if connection.vendor == "postgresql":
            with (
                pytest.raises(DatabaseError),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute("UPDATE billing_invoice SET notes = 'x' WHERE number = 'INV-2'")
    finally:
        _migrate()
