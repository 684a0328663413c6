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
    path("engineering/", include("postdesk.engineering.urls")),
    path("", include("postdesk.scheduling.urls")),
    path("library/", include("postdesk.library.urls")),
    path("library/", include("postdesk.library.label_views")),
    path("library/", include("postdesk.library.import_views")),
    path("", include("postdesk.frontdesk.urls")),
    path("coordination/", include("postdesk.coordination.urls")),
    path("", include("postdesk.portal.urls")),
    path("", include("postdesk.notifications.urls")),
    path("reports/", include("postdesk.reports.urls")),
]
