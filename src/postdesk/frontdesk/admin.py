from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin
from postdesk.frontdesk.models import RunnerTask


@admin.register(RunnerTask)
class RunnerTaskAdmin(ReadOnlyAdmin):
    """Read-only: tasks change only through the board's services (audited, race-safe)."""

    list_display = ("title", "place", "priority", "status", "runner", "created_at")
    list_filter = ("status", "priority")
    search_fields = ("title", "place")
