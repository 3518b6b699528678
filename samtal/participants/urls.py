from django.urls import path

from samtal.evaluations import views as evaluation_views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path("<str:token>/utvardering/", evaluation_views.link_evaluation, name="evaluation"),
    path(
        "<str:token>/utvardering/perspektiv/",
        evaluation_views.link_split,
        name="perspective_split",
    ),
]
