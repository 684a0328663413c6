"""Admin views of scheduling. Read-only for bookings: their rules (locks, ranks, audit)
live in services, which the board and the API call; resources and skills save through
the services too, so the admin is audited like everything else."""

from django.contrib import admin

from postdesk.scheduling import services
from postdesk.scheduling.models import Allocation, Booking, Resource, Skill


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
class ResourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "site", "bookable", "employment", "archived_at")
    list_filter = ("kind", "site", "bookable", "employment", "skills")
    search_fields = ("name", "email")
    filter_horizontal = ("skills",)
    list_select_related = ("site",)

    def has_delete_permission(self, request, obj=None):
        return False  # archive instead: resources keep their booking history

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in form.cleaned_data if f != "skills"}
        if change:
            services.update_resource(obj, actor=request.user, **fields)
        else:
            obj.pk = services.create_resource(actor=request.user, **fields).pk

    def save_related(self, request, form, formsets, change):
        resource = Resource.objects.get(pk=form.instance.pk)
        services.update_resource(resource, actor=request.user, skills=form.cleaned_data["skills"])


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)

    def save_model(self, request, obj, form, change):
        if change:
            services.update_skill(obj, actor=request.user, name=obj.name)
        else:
            obj.pk = services.create_skill(actor=request.user, name=obj.name).pk

    def delete_model(self, request, obj):
        services.delete_skill(obj, actor=request.user)
