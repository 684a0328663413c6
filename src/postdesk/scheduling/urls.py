from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.scheduling import resource_pages, views

app_name = "scheduling"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", resource_pages.resource_create, name="resource-create"),
    path("resources/<id:resource_id>/", views.resource_detail, name="resource"),
    path("resources/<id:resource_id>/edit/", resource_pages.resource_edit, name="resource-edit"),
    path(
        "resources/<id:resource_id>/archive/",
        resource_pages.resource_archive,
        name="resource-archive",
    ),
    path(
        "resources/<id:resource_id>/restore/",
        resource_pages.resource_restore,
        name="resource-restore",
    ),
]
