"""PostgreSQL refuses any change to audit rows (0004), so deleting a user who appears in the
log cannot null the rows' actor; such users are deactivated instead, and PROTECT says so
before the database has to. (No trigger on SQLite: Django's test flush there is a DELETE.)
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0004_audit_append_only_postgres")]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
