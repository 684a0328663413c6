from django.urls import NoReverseMatch, reverse

from postdesk.core.roles import ROLES, role_of
from postdesk.shell.menu import items_for


def navigation(request):
    """The menu, and the role it is for, that web/base.html draws in its top bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    nav = []
    for item in items_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        nav.append(
            {
                "label": item.label,
                "url": url,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    role = role_of(user)
    return {
        "nav_items": nav,
        "user_role": role,
        "user_role_label": ROLES.get(role, {}).get("label", "No role"),
    }
