"""The template editor's routes (under /mallar/, in the "conversation_templates" namespace
that samtal/urls.py puts together with the a3 app's previews and empty forms)."""

from django.urls import path

from . import views

template_routes = [
    path("", views.template_list, name="list"),
    path("importera/", views.import_template, name="import"),
    path("<int:version_id>/kopiera/", views.copy_version, name="copy"),
    path("<int:version_id>/export.json", views.export_version, name="export"),
    path("utkast/<int:draft_id>/", views.edit_draft, name="edit"),
    path("utkast/<int:draft_id>/ta-bort/", views.delete_draft, name="delete"),
]
