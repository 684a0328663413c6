from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.engineering import qc_views, views

app_name = "engineering"

urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("assets/", views.asset_list, name="assets"),
    path("assets/new/", views.asset_new, name="asset_new"),
    path("assets/<id:pk>/", views.asset_detail, name="asset"),
    path("assets/<id:pk>/tag.pdf", views.asset_tag, name="asset_tag"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/<id:pk>/", views.ticket_detail, name="ticket"),
    path("tickets/<id:pk>/state/", views.ticket_state, name="ticket_state"),
    path("tickets/<id:pk>/notes/", views.ticket_note, name="ticket_note"),
    path("tickets/<id:pk>/estimate/", views.ticket_estimate, name="ticket_estimate"),
    path("tickets/<id:pk>/move/", views.ticket_move, name="ticket_move"),
    path("tickets/<id:pk>/move-all/", views.ticket_move_all, name="ticket_move_all"),
    path("downtime/", views.downtime, name="downtime"),
    path("schedules/", views.schedule_list, name="schedules"),
    path("schedules/new/", views.schedule_new, name="schedule_new"),
    path("schedules/<id:pk>/place/", views.schedule_place, name="schedule_place"),
    path("schedules/<id:pk>/done/", views.schedule_done, name="schedule_done"),
    path("pat/", views.pat, name="pat"),
    path("pat/new/", views.pat_new, name="pat_new"),
    path("timecode/", views.calculator, name="calculator"),
    path("it/", views.it, name="it"),
    path("it/machines/new/", views.machine_new, name="machine_new"),
    path("it/licences/new/", views.licence_new, name="licence_new"),
    path("rooms/<id:pk>/signal-path/", views.signal_path, name="signal_path"),
    path("qc/", qc_views.qc_list, name="qc"),
    path("qc/new/", qc_views.qc_new, name="qc_new"),
    path("qc/<id:pk>/", qc_views.qc_report, name="qc_report"),
    path("qc/<id:pk>/progress/", qc_views.qc_progress, name="qc_progress"),
    path("qc/<id:pk>/report.json", qc_views.qc_json, name="qc_json"),
    path("qc/<id:pk>/report.pdf", qc_views.qc_pdf, name="qc_pdf"),
    path("qc/<id:pk>/cancel/", qc_views.qc_cancel, name="qc_cancel"),
    path("qc/specs/", qc_views.spec_list, name="qc_specs"),
    path("qc/specs/sync/", qc_views.spec_sync, name="qc_spec_sync"),
    path("qc/specs/<id:pk>/", qc_views.spec_edit, name="qc_spec"),
]
