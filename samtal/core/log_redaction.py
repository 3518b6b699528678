"""Keep secrets and personal data out of the logs.

A personal link (/l/<token>/…), a survey link (/enkat/<token>/), a password-reset link and
an email address would otherwise appear in Django's request log ("Conflict: /l/<token>/spara/"),
the development server's and the production server's access logs and error tracebacks.
The filter rewrites each record's message (and its formatted traceback) before any handler
sees it. Attached to the console handler (settings.LOGGING) and, in CoreConfig.ready(), to
the loggers of gunicorn and uvicorn, which have handlers of their own.
"""

import logging
import re

PATTERNS = [
    (re.compile(r"(/l/)[^/\s?#\"']+"), r"\1[dold]"),
    (re.compile(r"(/enkat/(?:personlig/)?)(?!personlig/)[^/\s?#\"']+"), r"\1[dold]"),
    (re.compile(r"(/aterstall/)[^/\s?#\"']+/[^/\s?#\"']+"), r"\1[dold]"),
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-post]"),
]
SERVER_LOGGERS = (
    "django.server",
    "gunicorn.access",
    "gunicorn.error",
    "uvicorn.access",
    "uvicorn.error",
)


def redact(text):
    for pattern, replacement in PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactFilter(logging.Filter):
    def filter(self, record):
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler to report
            return True
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def attach_to_server_loggers():
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFilter) for f in logger.filters):
            logger.addFilter(RedactFilter())
