"""Allocation.held_since: when the hold was made, the order pencils rank in.

Existing holds were made when their rows were created, so they take created_at, which
keeps every stored rank as it is.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0005_lean_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="allocation",
            name="held_since",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.RunSQL(
            "UPDATE scheduling_allocation SET held_since = created_at",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
