from django.urls import path

from samtal.a3 import views as a3_views

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.my_meetings, name="mine"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/a3.pdf", a3_views.a3_pdf, name="a3_pdf"),
    path("<int:meeting_id>/blankett.pdf", a3_views.blank_form_pdf, name="blank_form_pdf"),
]
