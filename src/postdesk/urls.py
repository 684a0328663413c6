from django.contrib import admin
from django.urls import include, path

from postdesk.api import api
from postdesk.core.views import facility_settings, healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The shell (home page, sign-in, sign-out), then each app's pages, in this order.
    path("", include("postdesk.shell.urls")),
    path("settings/facility/", facility_settings, name="facility-settings"),
    path("", include("postdesk.productions.urls")),
    path("billing/", include("postdesk.billing.urls")),
    path("", include("postdesk.scheduling.urls")),
    path("", include("postdesk.frontdesk.urls")),
]
