from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin
from postdesk.notifications.models import Notification, NotificationMail, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "read_at")
    list_filter = ("kind",)
    search_fields = ("text", "recipient__username")


@admin.register(NotificationMail)
class NotificationMailAdmin(ReadOnlyAdmin):
    list_display = ("notification", "how", "sent_at", "attempts", "last_error", "failed_at")
    list_filter = ("how",)


@admin.register(Preference)
class PreferenceAdmin(ReadOnlyAdmin):
    list_display = ("user", "kind", "mode", "updated_at")
    list_filter = ("kind", "mode")
