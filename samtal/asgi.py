"""The ASGI application production serves (uvicorn; see the README's "Serving").

Django runs each request inside a "thread-sensitive context" whose one thread runs the
request's synchronous parts (most middleware); that thread lives as long as the response.
The live meeting's event streams (samtal.a3.live_feed) last for hours, so that would be a
thread per device. Their requests go through the same middleware without such a context: the
few synchronous steps of connecting share one thread, and a held stream holds none.
"""

import gc
import os
import re
import sys

import django
from django.core.handlers.asgi import ASGIHandler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtal.settings")

EVENT_STREAM = re.compile(r"/samtal/\d+/live/strom")


class Application(ASGIHandler):
    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and EVENT_STREAM.fullmatch(scope["path"]):
            await self.handle(scope, receive, send)
        else:
            await super().__call__(scope, receive, send)


# A thread waiting for the interpreter lock (a write's request after each database answer, a
# live render) waits up to this long while another thread computes; 5 ms by default, paid once
# per query. With half a millisecond, three paired runs of bench/live_sync.py went from a p95
# of 75, 96 and 167 ms to 70, 81 and 121 ms.
sys.setswitchinterval(0.0005)

django.setup(set_prefix=False)
application = Application()

# A full garbage collection stops the process while it walks every object, about 100 ms with a
# room's streams held; by default one ran every second or two under bench/live_sync.py, and a
# change arriving meanwhile waited (most of the p95). What exists after start-up is never
# garbage, so it is left out of every collection, and a full collection waits for 100 rounds
# of the middle generation instead of 10 (young garbage is still collected as often).
gc.collect()
gc.freeze()
gc.set_threshold(700, 10, 100)
