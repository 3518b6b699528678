import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.settings")
application = get_asgi_application()

from samtal.a3.live_poll import wrap_asgi  # noqa: E402

# The live meeting's poll is answered in front of Django's stack (see live_poll.py).
application = wrap_asgi(application)
