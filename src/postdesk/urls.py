from django.contrib import admin
from django.urls import include, path

from postdesk.api import api
from postdesk.core.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("postdesk.web.urls")),
]
