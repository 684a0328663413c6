from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from postdesk.core.models import ApiToken, AuditEntry, Site, User


@admin.register(User)
class PostdeskUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Client company", {"fields": ("client",)}))
    list_display = ("username", "first_name", "last_name", "email", "client", "is_active")


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "time_zone", "country", "subdivision")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    list_filter = ("revoked_at",)

    def has_add_permission(self, request):
        return False  # tokens are made with `postdesk token` or the API, shown once


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, nobody edits or deletes it here."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "summary")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
