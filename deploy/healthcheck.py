"""Container health check: exit 0 when /healthz answers 200 (the database answers).

Runs inside the container (no curl there). Sends the first ALLOWED_HOSTS entry as Host, as
Django refuses other host names in production.
"""

import os
import sys
import urllib.request

port = os.environ.get("WEB_PORT", "8000")
host = next((h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()), "")
request = urllib.request.Request(f"http://127.0.0.1:{port}/healthz")
if host and not host.startswith("."):
    request.add_header("Host", host)
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    print(f"healthz: {error}", file=sys.stderr)
    sys.exit(1)
