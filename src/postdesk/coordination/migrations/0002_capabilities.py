from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync(apps, schema_editor):
    """Write coordination's capabilities into the role groups, as library 0002 does."""
    from postdesk.core.roles import sync_roles

    # Permissions are normally made after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0001_initial"),
        ("core", "0008_engineering_capabilities"),
        ("frontdesk", "0006_capabilities"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
