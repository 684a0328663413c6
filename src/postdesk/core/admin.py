"""Core records in the admin. Users and sites save through the services (audited); roles
and API tokens are read-only here, tokens can only be revoked; the audit log is read-only."""

import contextvars

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.contrib.auth.models import Group

from postdesk.core import services
from postdesk.core.errors import DomainError
from postdesk.core.models import ApiToken, AuditEntry, Site, User
from postdesk.core.roles import ROLES, role_of
from postdesk.core.service_admin import ReadOnlyAdmin, ServiceAdmin, model_fields
from postdesk.productions.models import Client

ROLE_CHOICES = [(name, spec["label"]) for name, spec in ROLES.items()]
# Who is changing a password: the admin's password view builds its form without the
# request, and the form's save() goes through the service, which records the actor.
_password_actor = contextvars.ContextVar("password_actor")


class UserCreateForm(AdminUserCreationForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    client = forms.ModelChoiceField(
        Client.objects.all(), required=False, help_text="Only for users of the client role."
    )

    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email", "first_name", "last_name")


class UserChangeForm(DjangoUserChangeForm):
    role = forms.ChoiceField(choices=ROLE_CHOICES)

    class Meta(DjangoUserChangeForm.Meta):
        model = User
        fields = ("first_name", "last_name", "email", "is_active", "client")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].initial = role_of(self.instance)


class ServicePasswordForm(AdminPasswordChangeForm):
    def save(self, commit=True):
        usable = self.cleaned_data["set_usable_password"]
        return services.set_user_password(
            self.user,
            password=self.cleaned_data["password1"] if usable else None,
            actor=_password_actor.get(),
        )


@admin.register(User)
class PostdeskUserAdmin(ServiceAdmin, UserAdmin):
    """Users are made and changed by the services: the role (a group) decides the admin
    flags and permissions, so those are not edited here. Users are deactivated, never
    deleted: the audit log points at them."""

    form = UserChangeForm
    add_form = UserCreateForm
    change_password_form = ServicePasswordForm
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Role", {"fields": ("role", "client", "is_active", "is_staff", "is_superuser")}),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "role",
                    "client",
                    "email",
                    "first_name",
                    "last_name",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ("username", "is_staff", "is_superuser", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "email", "client", "is_active")
    list_filter = ("is_active", "groups")
    filter_horizontal = ()

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False

    def create(self, request, form):
        usable = form.cleaned_data["set_usable_password"]
        return services.create_user(
            actor=request.user,
            role=form.cleaned_data["role"],
            password=form.cleaned_data["password1"] if usable else None,
            **model_fields(form, form.fields),
        )

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        return services.update_user(
            obj, actor=request.user, role=form.cleaned_data["role"], **changes
        )

    def user_change_password(self, request, id, form_url=""):
        token = _password_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _password_actor.reset(token)


@admin.register(Site)
class SiteAdmin(ServiceAdmin):
    list_display = ("name", "code", "time_zone", "country", "subdivision")

    def create(self, request, form):
        return services.create_site(actor=request.user, **model_fields(form, form.fields))

    def update(self, request, obj, form):
        changes = model_fields(form, form.changed_data)
        return services.update_site(obj, actor=request.user, **changes)

    def delete(self, request, obj):
        services.delete_site(obj, actor=request.user)


@admin.action(description="Revoke the selected tokens")
def revoke_tokens(modeladmin, request, queryset):
    try:
        for row in queryset:
            services.revoke_token(token_id=row.pk, actor=request.user)
    except DomainError as exc:
        modeladmin.message_user(request, exc.message, messages.ERROR)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are made with `postdesk token` or the API (shown once) and only ever revoked:
    a revoked token must stay revoked, so nothing here edits or deletes one."""

    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    actions = [revoke_tokens]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit log is append-only, nobody edits or deletes it here."""

    list_display = ("at", "actor_label", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "actor_label", "summary")
    date_hierarchy = "at"


# Roles are groups whose permissions the matrix in roles.py writes (migrations call
# sync_roles); editing a group here would change a role behind the matrix's back.
admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(ReadOnlyAdmin):
    list_display = ("name",)
