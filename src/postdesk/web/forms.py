"""Form helpers shared by the apps' pages: forms validate, services write."""

from django import forms

from postdesk.core.errors import DomainError


def call_service(form: forms.BaseForm, call, **kwargs):
    """Run a service with the form's cleaned data; its refusals become form errors.

    Returns what the service returned, or None when it refused (the errors are then on the
    form, next to the fields they concern).
    """
    try:
        return call(**form.cleaned_data, **kwargs)
    except DomainError as exc:
        fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
        if not fields:
            form.add_error(None, exc.message)
            return None
        for field, messages in fields.items():
            form.add_error(field if field in form.fields else None, list(messages))
        return None
