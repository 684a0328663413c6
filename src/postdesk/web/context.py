from django.conf import settings


def facility(request):
    """The facility's name, which web/base.html shows on every page, signed in or not."""
    return {"facility_name": settings.POSTDESK["FACILITY_NAME"]}
