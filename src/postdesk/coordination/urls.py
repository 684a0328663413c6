from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.coordination import (
    adr_views,
    crew_views,
    desk_views,
    document_views,
    edl_views,
    screening_views,
    views,
)

app_name = "coordination"

urlpatterns = [
    path("", desk_views.coordinator_desk, name="desk"),
    path("supervisor/", desk_views.supervisor_desk, name="supervisor-desk"),
    path("deliverables/", views.deliverables, name="deliverables"),
    path("productions/<id:pk>/", views.production, name="production"),
    path("productions/<id:pk>/from-template/", views.from_template, name="from-template"),
    path("productions/<id:pk>/deliverables/new/", views.deliverable_new, name="deliverable-new"),
    path("productions/<id:pk>/checklist/", views.checklist, name="checklist"),
    path("productions/<id:pk>/checklist.csv", views.checklist_csv, name="checklist-csv"),
    path("productions/<id:pk>/timeline/", views.timeline, name="timeline"),
    path("productions/<id:pk>/milestones/", views.milestone_set, name="milestone-set"),
    path("productions/<id:pk>/memos/", crew_views.memos, name="memos"),
    path("productions/<id:pk>/memos/new/", crew_views.memo_new, name="memo-new"),
    path("deliverables/<id:pk>/edit/", views.deliverable_edit, name="deliverable-edit"),
    path("deliverables/<id:pk>/start/", views.deliverable_start, name="deliverable-start"),
    path("deliverables/<id:pk>/qc/", views.deliverable_qc, name="deliverable-qc"),
    path("deliverables/<id:pk>/fail-qc/", views.deliverable_fail_qc, name="deliverable-fail-qc"),
    path("deliverables/<id:pk>/deliver/", views.deliverable_deliver, name="deliverable-deliver"),
    path("deliverables/<id:pk>/accept/", views.deliverable_accept, name="deliverable-accept"),
    path("deliverables/<id:pk>/reject/", views.deliverable_reject, name="deliverable-reject"),
    path("deliverables/<id:pk>/media/", views.deliverable_media, name="deliverable-media"),
    path(
        "deliverables/<id:pk>/qc-report/", views.deliverable_qc_report, name="deliverable-qc-report"
    ),
    path("deliverables/<id:pk>/cost/", views.deliverable_cost, name="deliverable-cost"),
    path("deliverables/<id:pk>/remove/", views.deliverable_remove, name="deliverable-remove"),
    path("productions/<id:pk>/documents/", document_views.document_list, name="documents"),
    path("productions/<id:pk>/documents/new/", document_views.document_new, name="document-new"),
    path("documents/<id:pk>/versions/new/", document_views.version_new, name="version-new"),
    path(
        "documents/<id:pk>/request-version/",
        document_views.version_request,
        name="version-request",
    ),
    path(
        "documents/<id:pk>/withdraw-request/",
        document_views.request_withdraw,
        name="version-request-withdraw",
    ),
    path("versions/<id:pk>/download/", document_views.version_download, name="version-download"),
    path("productions/<id:pk>/edls/", edl_views.edl_list, name="edls"),
    path("productions/<id:pk>/edls/import/", edl_views.edl_import, name="edl-import"),
    path("edls/<id:pk>/", edl_views.edl_detail, name="edl"),
    path("edls/unmatched-reels/", edl_views.unmatched, name="edl-unmatched"),
    path("productions/<id:pk>/adr/", adr_views.sessions, name="adr"),
    path("productions/<id:pk>/adr/new/", adr_views.session_new, name="adr-new"),
    path("adr/<id:pk>/cues/import/", adr_views.cue_import, name="cue-import"),
    path("adr/<id:pk>/cue-sheet.pdf", adr_views.cue_sheet, name="cue-sheet"),
    path("adr/<id:pk>/call-sheet/send/", adr_views.call_sheet_send, name="call-sheet-send"),
    path("cues/<id:pk>/recorded/", adr_views.cue_recorded, name="cue-recorded"),
    path("productions/<id:pk>/screenings/", screening_views.screening_list, name="screenings"),
    path(
        "productions/<id:pk>/screenings/new/", screening_views.screening_new, name="screening-new"
    ),
    path("screenings/<id:pk>/invite/", screening_views.invite, name="invite"),
    path("screenings/<id:pk>/attendance/", screening_views.attendance_take, name="attendance"),
    path("screenings/<id:pk>/feedback/", screening_views.feedback_new, name="feedback"),
    path("rsvp/<id:pk>/<str:token>/", screening_views.rsvp, name="rsvp"),
    path("memos/<id:pk>/accept/", crew_views.memo_accept, name="memo-accept"),
    path("memos/<id:pk>/contract/", crew_views.memo_contract, name="memo-contract"),
    path("memos/<id:pk>/withdraw/", crew_views.memo_withdraw, name="memo-withdraw"),
]
