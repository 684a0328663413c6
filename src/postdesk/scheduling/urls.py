from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/<id:resource_id>/", views.resource_detail, name="resource"),
]
