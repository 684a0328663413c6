from django.urls import path

from postdesk.frontdesk import views

app_name = "frontdesk"

urlpatterns = [
    path("runners/", views.runners, name="runners"),
]
