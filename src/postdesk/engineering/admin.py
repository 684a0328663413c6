"""Engineering in the admin is read-only: changes go through the services (audited; a
room down and a failed PAT change the board), and have pages of their own."""

from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin
from postdesk.engineering.models import (
    Asset,
    DeliverySpec,
    FaultTicket,
    MaintenanceSchedule,
    PatTest,
    QcReport,
)


@admin.register(Asset)
class AssetAdmin(ReadOnlyAdmin):
    list_display = ("tag", "make", "model", "serial", "room", "status")
    search_fields = ("tag", "serial", "model")
    list_filter = ("status",)


@admin.register(FaultTicket)
class FaultTicketAdmin(ReadOnlyAdmin):
    list_display = ("pk", "severity", "state", "room", "asset", "opened_at")
    list_filter = ("severity", "state")


@admin.register(MaintenanceSchedule)
class MaintenanceScheduleAdmin(ReadOnlyAdmin):
    list_display = ("title", "room", "every_days", "every_booked_hours", "last_done_at")


@admin.register(PatTest)
class PatTestAdmin(ReadOnlyAdmin):
    list_display = ("asset", "tested_on", "result", "next_due")
    list_filter = ("result",)


@admin.register(DeliverySpec)
class DeliverySpecAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "version", "hash", "updated_at")


@admin.register(QcReport)
class QcReportAdmin(ReadOnlyAdmin):
    list_display = ("pk", "filename", "spec_name", "state", "verdict", "created_at")
    list_filter = ("state", "verdict")
