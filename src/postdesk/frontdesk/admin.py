from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin
from postdesk.frontdesk.models import AccidentEntry, RunnerTask


@admin.register(RunnerTask)
class RunnerTaskAdmin(ReadOnlyAdmin):
    """Read-only: tasks change only through the board's services (audited, race-safe)."""

    list_display = ("title", "place", "priority", "status", "runner", "created_at")
    list_filter = ("status", "priority")
    search_fields = ("title", "place")


@admin.register(AccidentEntry)
class AccidentEntryAdmin(ReadOnlyAdmin):
    """Read-only: the book is kept at least three years; nobody edits or deletes an entry."""

    list_display = ("happened_at", "person", "place", "riddor_reportable", "keep_until")
    list_filter = ("riddor_reportable", "person_kind")
    search_fields = ("person", "place", "what_happened")
