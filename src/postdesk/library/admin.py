"""The library in the admin, for looking things up only: custody changes through its own
actions (item page, scan station, stock-takes), each appending to the movement history,
which an admin edit would skip."""

from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin, ReadOnlyInline
from postdesk.library.models import (
    Badge,
    DestructionRequest,
    Location,
    MediaItem,
    Movement,
    ResearchRequest,
    StockTake,
)


class MovementInline(ReadOnlyInline):
    model = Movement
    fields = ("at", "action", "actor_label", "from_place", "to_place", "signer_name", "note")


@admin.register(MediaItem)
class MediaItemAdmin(ReadOnlyAdmin):
    list_display = ("barcode", "title", "kind", "generation", "production", "custody", "location")
    list_filter = ("kind", "generation", "custody")
    search_fields = ("barcode", "title", "reel")
    list_select_related = ("production", "location")
    inlines = [MovementInline]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ("name", "barcode", "kind", "parent", "archived")
    list_filter = ("kind", "archived")
    search_fields = ("name", "barcode")


@admin.register(Badge)
class BadgeAdmin(ReadOnlyAdmin):
    list_display = ("code", "user")
    search_fields = ("code", "user__username")


@admin.register(StockTake)
class StockTakeAdmin(ReadOnlyAdmin):
    list_display = ("location", "status", "started_at", "started_by", "closed_at")
    list_filter = ("status",)


@admin.register(DestructionRequest)
class DestructionRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "status", "method", "requested_at", "certificate_number")
    list_filter = ("status", "method")


@admin.register(ResearchRequest)
class ResearchRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "requested_by", "production", "status", "wanted_by")
    list_filter = ("status",)
