from django.contrib.auth import views as auth_views
from django.urls import include, path

from postdesk.core import views as core_views
from postdesk.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("settings/facility/", core_views.facility_settings, name="facility-settings"),
    path("", include("postdesk.productions.urls")),
    path("billing/", include("postdesk.billing.urls")),
    path("", include("postdesk.scheduling.urls")),
]
