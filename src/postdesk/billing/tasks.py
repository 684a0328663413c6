"""Background work of billing: sent quotes past their validity date expire."""

from postdesk.billing import services


def expire_quotes_now() -> int:
    return services.expire_quotes(actor="worker")
