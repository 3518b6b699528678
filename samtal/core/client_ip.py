"""The client's address as the throttling (django-axes) must see it.

Each of the PROXY_COUNT reverse proxies in front of the app appends the address it received
the request from to X-Forwarded-For, so the client is the PROXY_COUNT-th entry from the right;
anything further left was written by the client and is not trusted. With PROXY_COUNT=0, or a
header shorter than PROXY_COUNT (a proxy that was bypassed or misconfigured), the address is
REMOTE_ADDR, never a value the client chose.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
