"""Idempotency keys: every "add" carries a key made by the client (or, without JavaScript, by
the server when it rendered the form), so the same add sent twice stores one row.

A double click, Enter pressed twice, a retry after a dropped connection and two concurrent
POSTs all carry the same key; the database's unique constraint on (owner, client_key) is the
last word, and the write path looks the key up first so that a repeat answers as a success.
"""

import re
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

FIELD = "client_key"
_VALID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def client_key_field():
    return models.CharField(
        _("klientnyckel"), max_length=64, blank=True, default="", editable=False
    )


def once_per(owner, name):
    """The unique constraint: one row per owner and non-empty client key."""
    return models.UniqueConstraint(fields=[owner, FIELD], condition=~Q(**{FIELD: ""}), name=name)


def new_key():
    return uuid.uuid4().hex


def clean(value):
    """The key from a request, or "" when it is missing or malformed (then no protection)."""
    value = (value or "").strip()
    return value if _VALID.match(value) else ""


def from_request(request):
    return clean(request.POST.get(FIELD, ""))
