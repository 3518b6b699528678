from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("samtal/<int:meeting_id>/utvardering/", views.meeting_evaluations, name="meeting"),
    path("samtal/<int:meeting_id>/utvardering/skicka/", views.send_requests, name="send"),
    path("samtal/<int:meeting_id>/utvardering/mitt-svar/", views.my_evaluation, name="mine"),
    path("samtal/<int:meeting_id>/perspektiv/", views.my_split, name="split"),
    path("samtal/<int:meeting_id>/perspektiv/grupp/", views.group_split, name="group_split"),
    path("samtal/<int:meeting_id>/perspektiv/oppna/", views.toggle_split, name="toggle_split"),
    path("samtal/<int:meeting_id>/perspektiv/visa/", views.projector, name="projector"),
    path("utvardering/", views.index, name="index"),
    path("utvardering/enhet/<int:unit_id>/", views.unit_overview, name="unit"),
]

link_routes = [
    path("<str:token>/utvardering/", views.link_evaluation, name="evaluation"),
    path(
        "<str:token>/utvardering/perspektiv/",
        views.link_split,
        name="perspective_split",
    ),
]

# Under /delta/<code>/: the polls a phone that joined with the meeting's code can answer.
join_routes = [
    path("<str:code>/perspektiv/", views.join_split, name="split"),
]
