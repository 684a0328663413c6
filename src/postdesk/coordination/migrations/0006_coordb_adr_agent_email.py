from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0005_screenings"),
    ]

    operations = [
        migrations.AddField(
            model_name="adrsession",
            name="agent_email",
            field=models.EmailField(blank=True, max_length=254),
        ),
    ]
