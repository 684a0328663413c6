"""Engineering's capabilities (issue 14): the permissions, then the role groups synced."""

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
    dependencies = [
        ("core", "0007_facility_settings"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="rolepermissions",
            options={
                "default_permissions": (),
                "managed": False,
                "permissions": [
                    ("view_board", "See the booking board, bookings and resources"),
                    ("change_bookings", "Create, move, confirm, release and cancel bookings"),
                    ("manage_resources", "Create and change resources and skills"),
                    ("view_clients", "See clients, contacts, productions and jobs"),
                    ("change_clients", "Create and change clients, contacts, productions and jobs"),
                    ("view_money", "See rates, quotes, job sheets, invoices and cost reports"),
                    (
                        "change_money",
                        "Change rate cards, quotes, job sheets, invoices and credit notes",
                    ),
                    ("approve_quotes", "Approve quotes over the approval threshold"),
                    ("change_budgets", "Enter production budgets"),
                    ("respond_quotes", "Accept or decline quotes sent to the user's company"),
                    ("view_audit", "Read the audit log"),
                    ("manage_users", "Create users and API tokens for others"),
                    ("report_faults", "Report an equipment or room fault"),
                    (
                        "view_engineering",
                        "See the equipment register, fault tickets, maintenance and PAT",
                    ),
                    (
                        "manage_engineering",
                        "Keep the register, work on faults, maintenance and PAT",
                    ),
                ],
            },
        ),
        migrations.RunPython(sync, migrations.RunPython.noop),
    ]
