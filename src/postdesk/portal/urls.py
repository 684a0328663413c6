from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path("calendar-feeds/", views.my_feeds, name="feeds"),
    path("calendar-feeds/<id:pk>/regenerate/", views.regenerate, name="feed-regenerate"),
    path("calendar-feeds/<id:pk>/revoke/", views.revoke, name="feed-revoke"),
    path("bookings/<id:pk>/invite/", views.invite, name="invite"),
]
