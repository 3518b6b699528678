from django.urls import path

from samtal.a3 import views as a3_views

from . import planning, views

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("nytt/", planning.meeting_create, name="create"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/a3.pdf", a3_views.a3_pdf, name="a3_pdf"),
    path("<int:meeting_id>/blankett.pdf", a3_views.blank_form_pdf, name="blank_form_pdf"),
    path("<int:meeting_id>/andra/", planning.meeting_edit, name="edit"),
    path("<int:meeting_id>/planera/", planning.plan, name="plan"),
    path("<int:meeting_id>/medverkande/", planning.participant_add, name="participant_add"),
    path(
        "<int:meeting_id>/medverkande/lista/",
        planning.participants_paste,
        name="participants_paste",
    ),
    path(
        "<int:meeting_id>/medverkande/<int:participation_id>/roll/",
        planning.participant_role,
        name="participant_role",
    ),
    path(
        "<int:meeting_id>/medverkande/<int:participation_id>/ta-bort/",
        planning.participant_remove,
        name="participant_remove",
    ),
    path(
        "<int:meeting_id>/medverkande/<int:participation_id>/kallelse/",
        planning.participant_invite,
        name="participant_invite",
    ),
    path("<int:meeting_id>/kallelse/", planning.invitations_send, name="invitations_send"),
    path("<int:meeting_id>/underlag/", planning.material_add, name="material_add"),
    path(
        "<int:meeting_id>/underlag/<int:material_id>/",
        planning.material_download,
        name="material",
    ),
    path(
        "<int:meeting_id>/underlag/<int:material_id>/ta-bort/",
        planning.material_remove,
        name="material_remove",
    ),
    path(
        "<int:meeting_id>/forberedelser/",
        planning.preparation_overview,
        name="preparation_overview",
    ),
    path("<int:meeting_id>/paminn/", planning.remind, name="remind"),
    path("<int:meeting_id>/min-forberedelse/", planning.my_preparation, name="my_preparation"),
    path("<int:meeting_id>/starta/", planning.start, name="start"),
]
