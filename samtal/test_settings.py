"""Settings for the test suite: the normal settings in development mode."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from samtal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# WhiteNoise reads STATIC_ROOT at start-up; tests serve the source files without collectstatic.
STATIC_ROOT = BASE_DIR / "static"  # noqa: F405
CACHES["live"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "live"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Tests talk to a fake Kolada on loopback (tests/fake_kolada.py), never to the real one.
KOLADA_BASE_URL = "http://127.0.0.1:9/v3/"
KOLADA_TIMEOUT = 2.0
