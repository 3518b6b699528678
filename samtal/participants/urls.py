from django.urls import path

from samtal.actions import views as action_views

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = [
    path(
        "<str:token>/atgarder/<int:action_id>/",
        action_views.action_report_by_link,
        name="action_report",
    ),
]
