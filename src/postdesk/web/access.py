"""Who may open a page or press its buttons: the capabilities of core/roles.py, asked one
way by every app's pages.

One rule, three uses:
- `capability_required(...)` guards a whole view: sign-in first (a redirect to the
  sign-in page), then the rule (the 403 page);
- `require(request, ...)` asks the same inside a view, for what only part of a page
  needs (the POST of a page anyone with the view capability may read);
- `allowed(user, ...)` answers yes or no, so a page offers only the buttons its user may
  press (the context flags such as `can_change` that templates test).

A rule is: every capability listed; at least one of `any_of`; `internal` pages are the
facility's own, refused to users outside it (client users, `core.roles.is_outside`)
whatever their capabilities; `rule` is a domain predicate on the user for a right the
matrix does not name as a capability (billing's exchange-rate keepers).
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from postdesk.core.roles import can, is_outside


def refusal(
    user,
    *capabilities: str,
    any_of: tuple[str, ...] = (),
    internal: bool = False,
    rule: Callable | None = None,
) -> str | None:
    """Why `user` may not, or None when the rule allows it."""
    missing = [c for c in capabilities if not can(user, c)]
    if missing:
        return f"Your role may not do this (needs {', '.join(missing)})"
    if any_of and not any(can(user, c) for c in any_of):
        return f"Your role may not do this (needs one of {', '.join(any_of)})"
    if internal and is_outside(user):
        return "Internal to the facility"
    if rule is not None and not rule(user):
        return "Your role may not do this"
    return None


def allowed(user, *capabilities: str, **rule) -> bool:
    """Whether the rule allows `user` (for the buttons a page offers)."""
    return refusal(user, *capabilities, **rule) is None


def require(request, *capabilities: str, **rule) -> None:
    """Refuse the request (the 403 page) unless the rule allows its user."""
    reason = refusal(request.user, *capabilities, **rule)
    if reason is not None:
        raise PermissionDenied(reason)


def capability_required(*capabilities: str, **rule):
    """A view's guard: sign-in first (redirect), then the rule (403 page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            require(request, *capabilities, **rule)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
