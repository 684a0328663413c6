"""The front door: the home page, sign-in and sign-out (the apps' pages are mounted beside
these in postdesk/urls.py)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from postdesk.shell import views

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
]
