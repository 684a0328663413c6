"""Admin views of scheduling. Read-only for bookings: their rules (locks, ranks, audit)
live in services, which the board and the API call; resources and skills save through
the services too (bulk delete included), so the admin is audited like everything else."""

from django.contrib import admin

from postdesk.core.service_admin import ReadOnlyAdmin, ServiceAdmin, model_fields
from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill


class AllocationInline(admin.TabularInline):
    model = Allocation
    fields = ("resource", "start", "end", "status", "blocking", "hold_rank")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ("pk", "kind", "status", "job", "title", "start", "end", "owner")
    list_filter = ("status", "kind")
    search_fields = ("title", "job__number", "job__client__name", "job__production__title")
    date_hierarchy = "start"
    list_select_related = ("job", "owner")
    inlines = [AllocationInline]


@admin.register(Resource)
class ResourceAdmin(ServiceAdmin):
    list_display = ("name", "kind", "site", "bookable", "employment", "archived_at")
    list_filter = ("kind", "site", "bookable", "employment", "skills")
    search_fields = ("name", "email")
    filter_horizontal = ("skills",)
    list_select_related = ("site",)

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: resources keep their booking history

    def create(self, request, form):
        fields = model_fields(form, form.fields)
        return services.create_resource(
            actor=request.user, skills=form.cleaned_data["skills"], **fields
        )

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        skills = form.cleaned_data["skills"] if "skills" in form.changed_data else None
        return services.update_resource(obj, actor=request.user, skills=skills, **changes)


@admin.register(Skill)
class SkillAdmin(ServiceAdmin):
    list_display = ("name",)
    search_fields = ("name",)

    def create(self, request, form):
        return services.create_skill(actor=request.user, name=form.cleaned_data["name"])

    def update(self, request, obj, form):
        return services.update_skill(obj, actor=request.user, name=form.cleaned_data["name"])

    def delete(self, request, obj):
        services.delete_skill(obj, actor=request.user)
