"""The participants app's own routes: planning a meeting's participants, material and
invitations (under /samtal/), and the pages behind a personal link (under /l/<token>/)."""

from django.urls import path

from . import live_links, planning, revocation, views

meeting_routes = [
    path("nytt/", planning.meeting_create, name="create"),
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
    path(
        "<int:meeting_id>/medverkande/<int:participation_id>/aterkalla-lank/",
        revocation.revoke_link,
        name="revoke_link",
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
]

link_routes = [
    path("<str:token>/", views.preparation, name="preparation"),
    path("<str:token>/spara/", views.autosave, name="autosave"),
    path("<str:token>/underlag/<int:material_id>/", views.material, name="material"),
    path("<str:token>/oppnad/", views.opened, name="opened"),
    path("<str:token>/anteckna/", live_links.live_entry, name="live_notes"),
]
