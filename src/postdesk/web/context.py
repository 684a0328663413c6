from django.conf import settings
from django.urls import NoReverseMatch, reverse

from postdesk.core.roles import ROLES, role_of
from postdesk.web.nav import items_for


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"facility_name": settings.POSTDESK["FACILITY_NAME"]}
    nav = []
    for item in items_for(user):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        nav.append({"label": item.label, "url": url, "active": request.path == url
                    or (url != "/" and request.path.startswith(url))})
    role = role_of(user)
    return {
        "facility_name": settings.POSTDESK["FACILITY_NAME"],
        "nav_items": nav,
        "user_role": role,
        "user_role_label": ROLES.get(role, {}).get("label", "No role"),
    }
