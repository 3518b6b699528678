from django.urls import path

from samtal.a3 import views as a3_views
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
]

urlpatterns += [
    path("<str:token>/oppnad/", views.opened, name="opened"),
]
