from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, using="default", **kwargs):
    # Keep the role groups equal to the matrix after every migrate, and after the
    # database flushes of transactional tests, which empty the groups but re-create
    # permissions through post_migrate.
    from postdesk.core.roles import sync_roles

    sync_roles(using=using)


class CoreConfig(AppConfig):
    name = "postdesk.core"
    label = "core"
    verbose_name = "Core: users, roles, sites, audit"

    def ready(self):
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="postdesk-sync-roles")
