from django.urls import path

from . import sso, views

app_name = "administration"

urlpatterns = [
    path("", views.index, name="index"),
    path("enheter/", views.units, name="units"),
    path("enheter/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("personer/", views.members, name="members"),
    path("personer/<int:membership_id>/roller/", views.member_roles, name="member_roles"),
    path("personer/<int:membership_id>/ta-bort/", views.member_remove, name="member_remove"),
    path("installningar/", views.settings, name="settings"),
    path("inloggning/", sso.providers, name="sso"),
    path("inloggning/ny/<str:protocol>/", sso.provider_create, name="sso_create"),
    path("inloggning/<int:identity_provider_id>/", sso.provider_edit, name="sso_edit"),
]
