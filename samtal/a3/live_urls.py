from django.urls import path

from . import live_feed
from . import live_views as views

app_name = "a3_live"

# Included under /samtal/<meeting_id>/live/
urlpatterns = [
    path("", views.projector, name="projector"),
    path("anteckna/", views.notes, name="notes"),
    path("a3/", views.overview, name="overview"),
    path("strom", live_feed.stream, name="stream"),
    path("hamta", live_feed.poll, name="poll"),
    path("andringar/", views.changes, name="changes"),
    path("starta/", views.start_view, name="start"),
    path("avsluta/", views.finish, name="finish"),
    path("steg/", views.step_action, name="step"),
    path("tid/", views.timer_action, name="timer"),
    path("talare/", views.speaker_action, name="speaker"),
    path("narvaro/ny/", views.add_person, name="add_person"),
    path("antecknare/", views.hand_notes, name="hand_notes"),
    path("narvaro/<int:participation_id>/", views.attendance, name="attendance"),
    path("anteckning/ny/", views.entry_add, name="entry_add"),
    path("anteckning/<int:entry_id>/", views.entry_edit, name="entry_edit"),
    path("anteckning/<int:entry_id>/flytta/", views.entry_move, name="entry_move"),
    path("anteckning/<int:entry_id>/ta-bort/", views.entry_delete, name="entry_delete"),
    path("forberedelse/<int:answer_id>/ta-in/", views.take_prepared, name="take_prepared"),
    path("onskning/ny/", views.wish_add, name="wish_add"),
    path("onskning/<int:wish_id>/", views.wish_edit, name="wish_edit"),
    path("onskning/<int:wish_id>/atgard/", views.wish_action, name="wish_action"),
    path("atgard/ny/", views.action_add, name="action_add"),
    path("atgard/<int:action_id>/", views.action_edit, name="action_edit"),
    path("atgard/<int:action_id>/ta-bort/", views.action_delete, name="action_delete"),
    path("parkering/ny/", views.parking_add, name="parking_add"),
    path("parkering/<int:item_id>/", views.parking_toggle, name="parking_toggle"),
    path("konflikt/<int:conflict_id>/", views.conflict_resolve, name="conflict_resolve"),
]
