from django.urls import path

from . import people, views

app_name = "archive"

urlpatterns = [
    path("", views.archive_list, name="list"),
    path("<int:meeting_id>/", views.archived_meeting, name="meeting"),
    path("person/<int:person_id>/", people.person, name="person"),
]

meeting_routes = [
    path("<int:meeting_id>/a3.pdf", views.a3_pdf, name="a3_pdf"),
]

link_routes = [
    path("<str:token>/a3.pdf", views.participant_a3_pdf, name="a3_pdf"),
]
