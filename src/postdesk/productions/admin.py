from django.contrib import admin

from postdesk.productions.models import Client, Contact, Job, Production


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Client)
class ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "currency", "credit_status", "payment_terms_days")
    search_fields = ("name", "vat_number")
    list_filter = ("credit_status", "currency")
    inlines = [ContactInline]


@admin.register(Production)
class ProductionAdmin(admin.ModelAdmin):
    list_display = ("title", "client", "kind", "status", "supervisor")
    search_fields = ("title", "client__name")
    list_filter = ("status", "kind")


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("number", "description", "production", "client", "status")
    search_fields = ("number", "description", "production__title", "client__name")
    list_filter = ("status",)
    readonly_fields = ("number",)
