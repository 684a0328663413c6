from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("frontdesk", "0010_catering_and_supplies"),
    ]

    operations = [
        migrations.AddField(
            model_name="visit",
            name="nda_signature",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="visit",
            name="nda_signed_for",
            field=models.CharField(blank=True, max_length=300),
        ),
    ]
