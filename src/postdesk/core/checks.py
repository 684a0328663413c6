"""postdesk's own deployment checks (`postdesk check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning


@register(Tags.security, deploy=True)
def ssl_redirect_needs_a_proxy(app_configs=None, **kwargs):
    """`postdesk serve` speaks plain HTTP: with the HTTPS redirect on and no proxy header
    believed, every request looks like plain HTTP and is redirected again, for ever."""
    if settings.SECURE_SSL_REDIRECT and settings.SECURE_PROXY_SSL_HEADER is None:
        return [
            CheckWarning(
                "POSTDESK_SSL_REDIRECT is on but POSTDESK_BEHIND_PROXY is not.",
                hint="Serve behind a TLS proxy that sets X-Forwarded-Proto and set "
                "POSTDESK_BEHIND_PROXY=1; otherwise every request is redirected again.",
                id="postdesk.W001",
            )
        ]
    return []
