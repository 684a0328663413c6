"""The library's capabilities (library.LibraryPermissions) written into the role groups,
as core 0003 does for core's: the matrix itself is core/roles.py."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def sync(apps, schema_editor):
    from postdesk.core.roles import sync_roles

    # Permissions are normally made after all migrations; the roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial"), ("core", "0003_roles")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
