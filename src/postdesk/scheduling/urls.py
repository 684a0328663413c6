from django.urls import path

from postdesk.scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/<int:resource_id>/", views.resource_detail, name="resource"),
]
