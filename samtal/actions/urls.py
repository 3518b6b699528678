from django.urls import path

from . import views

app_name = "actions"

urlpatterns = [
    path("", views.board, name="board"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:action_id>/", views.action_detail, name="detail"),
    path(
        "<int:action_id>/bilaga/<int:follow_up_id>/",
        views.attachment,
        name="attachment",
    ),
]

link_routes = [
    path(
        "<str:token>/atgarder/<int:action_id>/",
        views.action_report_by_link,
        name="action_report",
    ),
]
