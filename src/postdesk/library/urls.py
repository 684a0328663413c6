from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.library import custody_views, places_views, records_views, views

app_name = "library"

urlpatterns = [
    path("", views.home, name="home"),
    path("overdue/", views.overdue, name="overdue"),
    path("media/", views.media_list, name="media"),
    path("media/new/", views.media_create, name="media-create"),
    path("media/<id:pk>/", views.media_detail, name="media-detail"),
    path("media/<id:pk>/edit/", views.media_edit, name="media-edit"),
    path("media/<id:pk>/move/", custody_views.move, name="media-move"),
    path("media/<id:pk>/check-out/", custody_views.check_out, name="media-check-out"),
    path("media/<id:pk>/check-in/", custody_views.check_in, name="media-check-in"),
    path("media/<id:pk>/dispatch/", custody_views.dispatch, name="media-dispatch"),
    path("media/<id:pk>/receive/", custody_views.receive, name="media-receive"),
    path("productions/<id:pk>/media/", views.production_media, name="production-media"),
    path("scan/", places_views.scan_station, name="scan"),
    path("locations/", places_views.locations, name="locations"),
    path("locations/new/", places_views.location_create, name="location-create"),
    path("locations/<id:pk>/", places_views.location_detail, name="location-detail"),
    path("locations/<id:pk>/edit/", places_views.location_edit, name="location-edit"),
    path("locations/<id:pk>/archive/", places_views.location_archive, name="location-archive"),
    path("badges/", places_views.badges, name="badges"),
    path("stocktakes/", places_views.stocktakes, name="stocktakes"),
    path("stocktakes/new/", places_views.stocktake_create, name="stocktake-create"),
    path("stocktakes/<id:pk>/", places_views.stocktake_detail, name="stocktake-detail"),
    path("stocktakes/<id:pk>/close/", places_views.stocktake_close, name="stocktake-close"),
    path(
        "stocktakes/<id:pk>/resolve/<id:item_pk>/",
        places_views.stocktake_resolve,
        name="stocktake-resolve",
    ),
    path("destructions/", records_views.destructions, name="destructions"),
    path("destructions/new/", records_views.destruction_create, name="destruction-create"),
    path("destructions/<id:pk>/", records_views.destruction_detail, name="destruction-detail"),
    path(
        "destructions/<id:pk>/approve/",
        records_views.destruction_approve,
        name="destruction-approve",
    ),
    path(
        "destructions/<id:pk>/reject/", records_views.destruction_reject, name="destruction-reject"
    ),
    path("destructions/<id:pk>/done/", records_views.destruction_done, name="destruction-done"),
    path(
        "destructions/<id:pk>/certificate.pdf",
        records_views.destruction_certificate,
        name="destruction-certificate",
    ),
    path("research/", records_views.research_list, name="research"),
    path("research/new/", records_views.research_create, name="research-create"),
    path("research/<id:pk>/", records_views.research_detail, name="research-detail"),
    path("research/<id:pk>/status/", records_views.research_status, name="research-status"),
    path("research/<id:pk>/items/", records_views.research_items, name="research-items"),
]
