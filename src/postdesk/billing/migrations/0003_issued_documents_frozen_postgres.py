"""On PostgreSQL the database itself refuses to change or delete an issued invoice, its
lines, or any credit note (DOMAIN rule 6). SQLite relies on the model and queryset guards
(billing.models), which PostgreSQL also has."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION billing_invoice_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'issued' THEN
        RAISE EXCEPTION USING MESSAGE = 'invoice ' || OLD.number || ' is issued and can never change';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoice_frozen
    BEFORE UPDATE OR DELETE ON billing_invoice
    FOR EACH ROW EXECUTE FUNCTION billing_invoice_frozen();

CREATE OR REPLACE FUNCTION billing_invoiceline_frozen() RETURNS trigger AS $$
DECLARE
    parent bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN parent := NEW.invoice_id; ELSE parent := OLD.invoice_id; END IF;
    IF EXISTS (SELECT 1 FROM billing_invoice WHERE id = parent AND status = 'issued') THEN
        RAISE EXCEPTION 'lines of an issued invoice can never be changed';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_invoiceline_frozen
    BEFORE INSERT OR UPDATE OR DELETE ON billing_invoiceline
    FOR EACH ROW EXECUTE FUNCTION billing_invoiceline_frozen();

CREATE OR REPLACE FUNCTION billing_credit_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'credit notes can never be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER billing_creditnote_frozen
    BEFORE UPDATE OR DELETE ON billing_creditnote
    FOR EACH ROW EXECUTE FUNCTION billing_credit_frozen();
CREATE TRIGGER billing_creditnoteline_frozen
    BEFORE UPDATE OR DELETE ON billing_creditnoteline
    FOR EACH ROW EXECUTE FUNCTION billing_credit_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS billing_invoice_frozen ON billing_invoice;
DROP TRIGGER IF EXISTS billing_invoiceline_frozen ON billing_invoiceline;
DROP TRIGGER IF EXISTS billing_creditnote_frozen ON billing_creditnote;
DROP TRIGGER IF EXISTS billing_creditnoteline_frozen ON billing_creditnoteline;
DROP FUNCTION IF EXISTS billing_invoice_frozen();
DROP FUNCTION IF EXISTS billing_invoiceline_frozen();
DROP FUNCTION IF EXISTS billing_credit_frozen();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_rate_entry_skill_of_kind")]

    operations = [migrations.RunPython(forward, backward)]
