"""Admin base classes that keep the Django admin inside the house rules: a model admin
either saves through the app's services (audited, validated, numbered like any other
write) or is read-only. The admin's own model writes (`obj.save()`, `queryset.delete()`)
would skip the audit log and every rule a service holds."""

from django.contrib import admin, messages
from django.db import models, transaction
from django.http import HttpResponseRedirect

from postdesk.core.errors import DomainError


class ReadOnlyAdmin(admin.ModelAdmin):
    """For looking things up: no add, change or delete (so no bulk delete action)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def model_fields(form, names) -> dict:
    """The cleaned values of the form fields in `names` that are concrete model fields but
    the primary key (many-to-many fields and extra form fields are the subclass's business)."""
    concrete = {f.name for f in form._meta.model._meta.concrete_fields if not f.auto_created}
    return {n: form.cleaned_data[n] for n in names if n in concrete and n in form.cleaned_data}


class ServiceAdmin(admin.ModelAdmin):
    """Adds, changes and deletes (one by one and in bulk) through the app's services.

    Subclasses implement `create`, `update` and, if deleting is allowed, `delete`. A
    domain error (a clash, a rule) is shown as a message above the form, and the
    transaction of the admin view is rolled back, rather than answering a 500.
    """

    def create(self, request, form) -> models.Model:
        raise NotImplementedError

    def update(self, request, obj, form) -> models.Model:
        raise NotImplementedError

    def delete(self, request, obj) -> None:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        saved = self.update(request, obj, form) if change else self.create(request, form)
        # The admin goes on with `obj` (messages, redirect, its own log): give it the
        # saved row's values, including what the service assigned (pk, job number).
        for field in obj._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False
        obj._state.db = saved._state.db

    def save_related(self, request, form, formsets, change):
        # Many-to-many fields and inlines would be written directly by form.save_m2m() and
        # formset.save(); a subclass with either saves them through its services here.
        for formset in formsets:
            self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.has_changed():
            raise NotImplementedError(f"{type(self).__name__} must save {formset.prefix}")

    def delete_model(self, request, obj):
        self.delete(request, obj)

    def delete_queryset(self, request, queryset):
        # The bulk "delete selected" action: each row through the service, all or none.
        with transaction.atomic():
            for obj in queryset:
                self.delete(request, obj)

    def _refused(self, request, exc: DomainError):
        self.message_user(request, exc.message, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except DomainError as exc:
            return self._refused(request, exc)
