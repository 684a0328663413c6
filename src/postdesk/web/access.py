"""Who may open a page: the same capabilities as the API (core/roles.py)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from postdesk.core.roles import can


def capability_required(capability: str):
    """Sign-in first (redirect), then the capability (403 page)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied(f"Your role may not do this (needs {capability})")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
