from django.urls import path

from . import views

app_name = "archive"

urlpatterns = [
    path("", views.archive_list, name="list"),
    path("<int:meeting_id>/", views.archived_meeting, name="meeting"),
]
