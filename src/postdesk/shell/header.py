"""What the apps add to the top bar beside the user's name: a link with a count (the
notifications app's unread count). Apps register from their `shell.py`, as they do menu
entries, so neither the toolkit's base template nor the shell imports an app."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from postdesk.shell.registry import LAST


@dataclass(frozen=True)
class HeaderLink:
    label: str
    url_name: str
    count: Callable  # (user) -> int; 0 shows no badge
    order: int = LAST


_links: dict[str, HeaderLink] = {}


def register_header_link(link: HeaderLink) -> None:
    """Add a link to the top bar (registering the same link again changes nothing)."""
    from django.core.exceptions import ImproperlyConfigured

    known = _links.get(link.label)
    if known is not None and known != link:
        raise ImproperlyConfigured(f"Two header links are called {link.label!r}")
    _links[link.label] = link


def header_links(request):
    """Context processor: `header_links` for web/base.html, each {label, url, count}."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    links = []
    for link in sorted(_links.values(), key=lambda x: x.order):
        try:
            url = reverse(link.url_name)
        except NoReverseMatch:
            continue
        links.append({"label": link.label, "url": url, "count": link.count(user)})
    return {"header_links": links}
