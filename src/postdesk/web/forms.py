"""Form helpers shared by the apps' pages: forms validate, services write."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from postdesk.core.errors import DomainError, Forbidden


def add_refusal(form: forms.BaseForm, exc: DomainError) -> None:
    """Show a service's refusal on the form: next to the fields it names, else on top."""
    fields = exc.details.get("fields") if isinstance(exc.details, dict) else None
    if not fields:
        form.add_error(None, exc.message)
        return
    for field, errors in fields.items():
        form.add_error(field if field in form.fields else None, list(errors))


def press(request, call, done: str) -> bool:
    """Run the service call behind a button (a form with nothing to fill in, or one
    already validated). Its refusal becomes a message on the page it returns to, never a
    500; a refused right (`Forbidden`) is the 403 page, as in the API. True when done."""
    try:
        call()
    except Forbidden as exc:
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, done)
    return True


def call_service(form: forms.BaseForm, call, **kwargs):
    """Run a service with the form's cleaned data; its refusals become form errors.

    Returns what the service returned, or None when it refused (the errors are then on the
    form, next to the fields they concern).
    """
    try:
        return call(**form.cleaned_data, **kwargs)
    except DomainError as exc:
        add_refusal(form, exc)
        return None


def form_page(
    request,
    form,
    service,
    *,
    done,
    title: str,
    cancel_url: str,
    template: str = "web/form.html",
    **kwargs,
):
    """The create and edit pages' one flow: a valid POST runs the service through
    `call_service`; success shows `done(result)`'s message and goes to its URL. Otherwise
    (GET, invalid input, or the service refused) the form is shown with its errors, in
    `template` (one that extends web/form.html, for a page's own styles)."""
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, service, **kwargs)
        if saved is not None:
            message, url = done(saved)
            messages.success(request, message)
            return redirect(url)
    return render(request, template, {"form": form, "title": title, "cancel_url": cancel_url})
