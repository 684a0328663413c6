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
    the models as they were then. An app whose later migrations need a newer billing
    (the front desk's catering needs job sheet lines of billing 0006) stays at its last
    migration that does not."""
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    targets = list(graph.leaf_nodes())
    if billing is not None:
        targets = [billing] + [
            node for node in map(lambda leaf: _before(graph, leaf, billing), targets) if node
        ]
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _before(graph, leaf, billing):
    """The last migration of `leaf`'s app (walking back from `leaf`) that needs no billing
    migration later than `billing`; None when there is none (or `leaf` is billing's)."""
    node = leaf
    while node and node[0] != "billing":
        needs = graph.forwards_plan(node)
        if not any(app == "billing" and name > billing[1] for app, name in needs):
            return node
        parents = [p.key for p in graph.node_map[node].parents if p.key[0] == node[0]]
        node = parents[0] if parents else None
    return None


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
