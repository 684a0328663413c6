"""The unsubscribe links in the mail: a signed token naming the user and the kinds it
turns off. Anyone holding the mail may use it (no sign-in: that is the point of one
click), but nobody can make one for another user or another kind without the secret key.
No expiry: a mail read a year later must still unsubscribe."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from postdesk.core.errors import NotFound

SALT = "postdesk.notifications.unsubscribe"


def unsubscribe_token(user_id: int, kinds: list[str]) -> str:
    return signing.dumps({"u": user_id, "k": sorted(kinds)}, salt=SALT, compress=True)


def read_unsubscribe(token: str) -> tuple[int, list[str]]:
    """(user id, kinds) of a token this facility signed; NotFound for any other text."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature as exc:
        raise NotFound("This unsubscribe link is not valid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise NotFound("This unsubscribe link is not valid")
    kinds = data.get("k")
    if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
        raise NotFound("This unsubscribe link is not valid")
    return data["u"], kinds


def unsubscribe_url(user_id: int, kinds: list[str]) -> str:
    path = reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kinds)])
    return settings.POSTDESK["SITE_URL"] + path


def absolute(link: str) -> str:
    return settings.POSTDESK["SITE_URL"] + link if link.startswith("/") else link
