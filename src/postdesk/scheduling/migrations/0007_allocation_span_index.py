"""The (resource, start) index becomes (resource, start, end): window reads then skip the
rows of the 90 days before a window that end before it, without reading them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0006_allocation_held_since"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="allocation",
            index=models.Index(fields=["resource", "start", "end"], name="alloc_resource_span"),
        ),
        migrations.RemoveIndex(
            model_name="allocation",
            name="alloc_resource_start",
        ),
    ]
