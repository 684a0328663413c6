from django.contrib import admin

from postdesk.coordination.models import DealMemo, Deliverable, Milestone
from postdesk.core.service_admin import ReadOnlyAdmin


@admin.register(Deliverable)
class DeliverableAdmin(ReadOnlyAdmin):
    """Read-only: deliverables move only through the services (status machine, audited)."""

    list_display = ("name", "production", "due", "status")
    list_filter = ("status",)
    search_fields = ("name", "production__title")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("production", "kind", "planned", "revised", "actual")
    list_filter = ("kind",)


@admin.register(DealMemo)
class DealMemoAdmin(ReadOnlyAdmin):
    """Read-only: accepting and contracting a memo books the person through scheduling."""

    list_display = ("production", "person", "role", "start", "end", "status")
    list_filter = ("status",)
