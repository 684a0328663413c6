# Attendance (walk-ins by name beside the invitees' `attended`) and feedback notes, one
# row each, which replace the screening's single unused `feedback` text.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0006_coordb_adr_agent_email"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveField(model_name="screening", name="feedback"),
        migrations.CreateModel(
            name="WalkIn",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=200)),
                (
                    "screening",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="walk_ins",
                        to="coordination.screening",
                    ),
                ),
            ],
            options={
                "ordering": ["screening_id", "name", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("screening", "name"), name="walk_in_once_per_screening"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="FeedbackNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("given_by", models.CharField(blank=True, max_length=200)),
                ("note", models.TextField()),
                ("recorded_at", models.DateTimeField()),
                (
                    "recorded_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "screening",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback",
                        to="coordination.screening",
                    ),
                ),
            ],
            options={"ordering": ["screening_id", "recorded_at", "id"]},
        ),
    ]
