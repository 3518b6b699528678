from django.urls import path  # noqa: F401

app_name = "participants"

# Pages reached through a personal link: /l/<token>/…
urlpatterns = []
