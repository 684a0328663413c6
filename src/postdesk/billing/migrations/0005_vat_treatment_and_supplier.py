"""Issue 11: each invoice records the VAT treatment decided at its tax point, and issued
documents keep the supplier's details they were issued with; lines keep their own VAT code
beside the one applied.

Invoices issued before record a treatment from what they already say: reverse-charged ones
"reverse_charge", every other one "domestic" (they were charged UK VAT). On PostgreSQL the
issued rows are frozen by a trigger (0003), so that one backfill of the new column passes it
for the length of this migration's transaction; nothing else is written.
"""

from django.db import migrations, models

BACKFILL = "UPDATE billing_invoice SET vat_treatment = 'reverse_charge' WHERE reverse_charge"


def backfill(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("ALTER TABLE billing_invoice DISABLE TRIGGER billing_invoice_frozen")
    schema_editor.execute(BACKFILL)
    if postgres:
        schema_editor.execute("ALTER TABLE billing_invoice ENABLE TRIGGER billing_invoice_frozen")


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_rate_card_archive'),
    ]

    operations = [
        migrations.AddField(
            model_name='creditnote',
            name='supplier',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='invoice',
            name='supplier',
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AddField(
            model_name='invoice',
            name='vat_treatment',
            field=models.CharField(choices=[('domestic', 'UK VAT'), ('reverse_charge', 'Reverse charge'), ('outside_scope', 'Outside the scope of UK VAT')], default='domestic', max_length=20),
        ),
        migrations.AddField(
            model_name='invoiceline',
            name='supply_vat_code',
            field=models.CharField(blank=True, choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt')], max_length=10),
        ),
        migrations.AddField(
            model_name='jobsheetline',
            name='supply_vat_code',
            field=models.CharField(blank=True, choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt')], max_length=10),
        ),
        migrations.AddField(
            model_name='quoteline',
            name='supply_vat_code',
            field=models.CharField(blank=True, choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt')], max_length=10),
        ),
        migrations.AlterField(
            model_name='creditnoteline',
            name='vat_code',
            field=models.CharField(choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt'), ('outside', 'Outside the scope of UK VAT')], default='standard', max_length=10),
        ),
        migrations.AlterField(
            model_name='invoiceline',
            name='vat_code',
            field=models.CharField(choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt'), ('outside', 'Outside the scope of UK VAT')], default='standard', max_length=10),
        ),
        migrations.AlterField(
            model_name='jobsheetline',
            name='vat_code',
            field=models.CharField(choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt'), ('outside', 'Outside the scope of UK VAT')], default='standard', max_length=10),
        ),
        migrations.AlterField(
            model_name='quoteline',
            name='vat_code',
            field=models.CharField(choices=[('standard', 'Standard'), ('zero', 'Zero rated'), ('exempt', 'Exempt'), ('outside', 'Outside the scope of UK VAT')], default='standard', max_length=10),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
