"""Clients, contacts, productions and jobs in the admin, saved through the services so
every change is audited and jobs get their numbers like anywhere else."""

from django.contrib import admin

from postdesk.core.service_admin import ServiceAdmin, model_fields
from postdesk.productions import services
from postdesk.productions.models import Client, Contact, Job, Production


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(ServiceAdmin):
    list_display = ("name", "country", "currency", "credit_status", "payment_terms_days")
    search_fields = ("name", "vat_number")
    list_filter = ("credit_status", "currency")
    inlines = [ContactInline]

    def create(self, request, form):
        return services.create_client(actor=request.user, **model_fields(form, form.fields))

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        return services.update_client(obj, actor=request.user, **changes)

    def delete(self, request, obj):
        services.delete_client(obj, actor=request.user)

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # sorts the rows into new, changed and deleted; writes none
        for contact in formset.deleted_objects:
            services.delete_contact(contact, actor=request.user)
        for contact, changed in formset.changed_objects:
            changes = {name: getattr(contact, name) for name in changed}
            services.update_contact(contact, actor=request.user, **changes)
        for row in formset.forms:
            if row.instance in formset.new_objects:
                fields = model_fields(row, row.fields)
                fields.pop("client", None)
                services.create_contact(actor=request.user, client=form.instance, **fields)


@admin.register(Production)
class ProductionAdmin(ServiceAdmin):
    list_display = ("title", "client", "kind", "status", "supervisor")
    search_fields = ("title", "client__name")
    list_filter = ("status", "kind")

    def create(self, request, form):
        return services.create_production(actor=request.user, **model_fields(form, form.fields))

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        return services.update_production(obj, actor=request.user, **changes)

    def delete(self, request, obj):
        services.delete_production(obj, actor=request.user)


@admin.register(Job)
class JobAdmin(ServiceAdmin):
    list_display = ("number", "description", "production", "client", "status")
    search_fields = ("number", "description", "production__title", "client__name")
    list_filter = ("status",)
    # The number comes from the yearly sequence, the client from the production.
    readonly_fields = ("number", "client")

    def create(self, request, form):
        return services.create_job(actor=request.user, **model_fields(form, form.fields))

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        return services.update_job(obj, actor=request.user, **changes)

    def delete(self, request, obj):
        services.delete_job(obj, actor=request.user)
