"""The a3 app's own routes outside the live meeting: the meeting's page, starting it, the
empty form, and the read-only A3 behind a personal link."""

from django.urls import path

from . import live_views, views

meeting_routes = [
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/blankett.pdf", views.blank_form_pdf, name="blank_form_pdf"),
    # The meeting page's "Starta samtalet" and the projector's are one view.
    path("<int:meeting_id>/starta/", live_views.start_view, name="start"),
]

# Under /mallar/: a template version's empty form and the editor's previews.
template_routes = [
    path("<int:version_id>/blankett.pdf", views.template_blank_pdf, name="blank_pdf"),
    path(
        "<int:version_id>/forhandsvisning/projektor/",
        views.template_projector_preview,
        name="projector_preview",
    ),
]

link_routes = [
    path("<str:token>/a3/", live_views.participant_a3, name="a3"),
]
