from django.urls import path

from . import people, plans, views

app_name = "archive"

urlpatterns = [
    path("", views.archive_list, name="list"),
    path("<int:meeting_id>/", views.archived_meeting, name="meeting"),
    path("person/<int:person_id>/", people.person, name="person"),
    path("<int:meeting_id>/handlingsplan/", plans.plan, name="plan"),
    path("<int:meeting_id>/handlingsplan.pdf", plans.plan_pdf, name="plan_pdf"),
    path("enhet/<int:unit_id>/aterrapportering/", plans.report_backs, name="report_backs"),
    path("aterrapportering/<int:report_back_id>/", plans.report_back, name="report_back"),
]

meeting_routes = [
    path("<int:meeting_id>/a3.pdf", views.a3_pdf, name="a3_pdf"),
]

link_routes = [
    path("<str:token>/a3.pdf", views.participant_a3_pdf, name="a3_pdf"),
]
