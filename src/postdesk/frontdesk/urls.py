from django.urls import path

import postdesk.web.converters  # noqa: F401  (registers <id:...>)
from postdesk.frontdesk import (
    accident_views,
    catering_views,
    desk_views,
    message_views,
    supplies_views,
    traffic_views,
    views,
)

app_name = "frontdesk"

urlpatterns = [
    path("runners/", views.runners, name="runners"),
    path("frontdesk/", desk_views.desk, name="desk"),
    path("frontdesk/kiosk/", desk_views.kiosk, name="kiosk"),
    path("frontdesk/roll-call/", desk_views.roll_call, name="roll-call"),
    path("frontdesk/visits/<id:visit_id>/sign-out/", desk_views.sign_out, name="sign-out"),
    path("frontdesk/traffic/", traffic_views.traffic_log, name="traffic"),
    path("frontdesk/traffic/deliveries/new/", traffic_views.delivery_new, name="delivery-new"),
    path("frontdesk/traffic/dispatches/new/", traffic_views.dispatch_new, name="dispatch-new"),
    path("frontdesk/accidents/", accident_views.accident_list, name="accidents"),
    path("frontdesk/accidents/new/", accident_views.accident_new, name="accident-new"),
    path("frontdesk/accidents/<id:entry_id>/", accident_views.accident_detail, name="accident"),
    path("frontdesk/catering/", catering_views.catering_list, name="catering"),
    path("frontdesk/catering/new/", catering_views.catering_new, name="catering-new"),
    path("frontdesk/supplies/", supplies_views.supply_list, name="supplies"),
    path("frontdesk/supplies/new/", supplies_views.supply_new, name="supply-new"),
    path("frontdesk/supplies/<id:item_id>/use/", supplies_views.supply_use, name="supply-use"),
    path(
        "frontdesk/supplies/<id:item_id>/receive/",
        supplies_views.supply_receive,
        name="supply-receive",
    ),
    path("frontdesk/messages/", message_views.message_list, name="messages"),
    path("frontdesk/messages/new/", message_views.message_new, name="message-new"),
    path(
        "frontdesk/messages/<id:message_id>/dealt-with/",
        message_views.message_dealt_with,
        name="message-dealt-with",
    ),
]
