from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.search, name="search"),
    path("person/<int:person_id>/", views.person, name="person"),
    path("konto/<int:user_id>/", views.account, name="account"),
    path(
        "person/<int:person_id>/registerutdrag.<str:fmt>",
        views.extract_file,
        name="extract",
    ),
]
