"""Asking before an action that cannot be undone, one way for every app: a page that
says what will happen, a button that does it, and Cancel (web/confirm.html)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from postdesk.core.errors import DomainError


def confirmed(request: HttpRequest) -> bool:
    """Whether this POST comes from the confirm page's button (not a bare form post)."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"


def confirm_page(
    request: HttpRequest,
    *,
    title: str,
    explain: str,
    button: str,
    cancel_url: str,
    danger: bool = True,
    error: str | None = None,
    action: str | None = None,
) -> HttpResponse:
    """The question; with `error`, the service's refusal instead of it (409). `action` is
    where the button posts (default: this URL)."""
    return render(
        request,
        "web/confirm.html",
        {
            "title": title,
            "explain": explain,
            "button": button,
            "cancel_url": cancel_url,
            "danger": danger,
            "error": error,
            "action": action,
        },
        status=409 if error else 200,
    )


def confirm_action(
    request: HttpRequest,
    *,
    act: Callable[[], object],
    done_url: str,
    done_message: str,
    **page,
) -> HttpResponse:
    """GET asks (`confirm_page` with `page`); POST runs `act` (a service call), then goes
    to `done_url` saying `done_message`, or asks again showing why the service refused."""
    error = None
    if request.method == "POST":
        try:
            act()
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, done_message)
            return redirect(done_url)
    return confirm_page(request, error=error, **page)
