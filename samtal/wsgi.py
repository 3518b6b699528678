import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.settings")
# Production serves samtal.asgi (uvicorn): the live meeting's event streams need ASGI.
application = get_wsgi_application()
