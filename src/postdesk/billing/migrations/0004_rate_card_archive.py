"""Rate cards can be archived instead of deleted, and a currency has at most one standard
card in force from each date (issue 10).

Databases made before may already hold several standard cards from the same date (the
second silently replaced the first). Pricing used the newest of them; the others are
archived here, so prices stay exactly as they were and the new constraints hold.
"""

from django.db import migrations, models
from django.utils import timezone


def archive_shadowed_standard_cards(apps, schema_editor):
    RateCard = apps.get_model("billing", "RateCard")
    in_force: set[tuple] = set()
    shadowed = []
    # Newest first: the card pricing used (rates._valid_card breaks ties by the newest id).
    for card in RateCard.objects.filter(is_standard=True).order_by("-pk"):
        key = (card.currency, card.valid_from)
        if key in in_force:
            shadowed.append(card.pk)
        in_force.add(key)
    RateCard.objects.filter(pk__in=shadowed).update(archived_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("billing", "0003_issued_documents_frozen_postgres")]

    operations = [
        migrations.AddField(
            model_name="ratecard",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(archive_shadowed_standard_cards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="ratecard",
            constraint=models.UniqueConstraint(
                condition=models.Q(
                    ("archived_at__isnull", True),
                    ("is_standard", True),
                    ("valid_from__isnull", True),
                ),
                fields=("currency",),
                name="rate_card_one_undated_standard",
            ),
        ),
        migrations.AddConstraint(
            model_name="ratecard",
            constraint=models.UniqueConstraint(
                condition=models.Q(("archived_at__isnull", True), ("is_standard", True)),
                fields=("currency", "valid_from"),
                name="rate_card_one_standard_per_date",
            ),
        ),
    ]
