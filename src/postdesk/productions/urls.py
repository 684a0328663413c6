from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.productions import views

urlpatterns = [
    path("clients/", views.client_list, name="clients"),
    path("clients/new/", views.client_create, name="client-create"),
    path("clients/<id:pk>/", views.client_detail, name="client-detail"),
    path("clients/<id:pk>/edit/", views.client_edit, name="client-edit"),
    path("clients/<id:pk>/delete/", views.client_delete, name="client-delete"),
    path("clients/<id:client_pk>/contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<id:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<id:pk>/delete/", views.contact_delete, name="contact-delete"),
    path("productions/", views.production_list, name="productions"),
    path("productions/new/", views.production_create, name="production-create"),
    path("productions/<id:pk>/", views.production_detail, name="production-detail"),
    path("productions/<id:pk>/edit/", views.production_edit, name="production-edit"),
    path("productions/<id:pk>/delete/", views.production_delete, name="production-delete"),
    path("jobs/", views.job_list, name="jobs"),
    path("jobs/new/", views.job_create, name="job-create"),
    path("jobs/<id:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<id:pk>/edit/", views.job_edit, name="job-edit"),
    path("jobs/<id:pk>/delete/", views.job_delete, name="job-delete"),
]
