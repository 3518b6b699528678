from django.urls import path

from samtal.a3 import live_views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path("<str:token>/a3/", live_views.participant_a3, name="a3"),
]
