from django.urls import path

from samtal.a3 import live_views
from samtal.a3 import views as a3_views
from samtal.actions import views as action_views
from samtal.evaluations import views as evaluation_views

from . import views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path("<str:token>/", views.preparation, name="preparation"),
    path("<str:token>/spara/", views.autosave, name="autosave"),
    path("<str:token>/underlag/<int:material_id>/", views.material, name="material"),
    path("<str:token>/a3.pdf", a3_views.participant_a3_pdf, name="a3_pdf"),
    path("<str:token>/utvardering/", evaluation_views.link_evaluation, name="evaluation"),
    path(
        "<str:token>/utvardering/perspektiv/",
        evaluation_views.link_split,
        name="perspective_split",
    ),
    path(
        "<str:token>/atgarder/<int:action_id>/",
        action_views.action_report_by_link,
        name="action_report",
    ),
    path("<str:token>/a3/", live_views.participant_a3, name="a3"),
]

urlpatterns += [
    path("<str:token>/oppnad/", views.opened, name="opened"),
]
