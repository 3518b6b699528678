"""The meetings app's own routes (under /samtal/, in the "meetings" namespace that
samtal/urls.py puts together from each app's meeting routes)."""

from django.urls import path

from samtal.organisations import session

from . import views

meeting_routes = [
    path("", views.my_meetings, name="mine"),
]

urlpatterns = [
    path("organisation/", session.switch, name="switch_organisation"),
]
