"""The shipped delivery specs (engineering/specs/*.json) as their first database copies.
Later file versions are taken in by services.sync_specs (the QC specs page's button)."""

import json
from pathlib import Path

from django.db import migrations

from postdesk.engineering.qc_specs import SPEC_DIR, spec_hash, validated


def load(apps, schema_editor):
    DeliverySpec = apps.get_model("engineering", "DeliverySpec")
    for path in sorted(Path(SPEC_DIR).glob("*.json")):
        body = validated(json.loads(path.read_text()))
        digest = spec_hash(body)
        DeliverySpec.objects.get_or_create(
            slug=body["slug"],
            defaults={
                "name": body["name"],
                "version": body["version"],
                "body": body,
                "hash": digest,
                "file_hash": digest,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("engineering", "0003_qc")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
