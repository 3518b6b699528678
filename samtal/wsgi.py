import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.settings")
from samtal.a3.live_poll import wrap  # noqa: E402

# The live meeting's poll is answered in front of Django's stack (see live_poll.py).
application = wrap(get_wsgi_application())
