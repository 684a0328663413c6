from django.urls import path

from . import portal_views, views

app_name = "portal"

urlpatterns = [
    path("feeds/<str:token>.ics", views.feed, name="feed"),
    path("calendar-feeds/", views.my_feeds, name="feeds"),
    path("calendar-feeds/<id:pk>/regenerate/", views.regenerate, name="feed-regenerate"),
    path("calendar-feeds/<id:pk>/revoke/", views.revoke, name="feed-revoke"),
    path("calendar-feeds/people/", views.people, name="people"),
    path("calendar-feeds/people/<id:pk>/unlink/", views.unlink, name="unlink"),
    path("bookings/<id:pk>/invite/", views.invite, name="invite"),
    path("portal/", portal_views.home, name="home"),
    path("portal/quotes/<id:pk>/", portal_views.quote, name="quote"),
    path("portal/deliverables/", portal_views.deliverables, name="deliverables"),
    path("portal/screenings/", portal_views.screenings, name="screenings"),
    path("portal/request/", portal_views.request_booking, name="request"),
    path("portal/password/", portal_views.change_password, name="password"),
    path("booking-requests/", portal_views.requests, name="requests"),
    path("booking-requests/<id:pk>/place/", portal_views.place, name="place"),
    path("booking-requests/<id:pk>/decline/", portal_views.decline, name="decline"),
]
