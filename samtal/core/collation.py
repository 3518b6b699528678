"""Swedish alphabetical order: a … z å ä ö, on both databases.

PostgreSQL uses the ICU collation "sv-SE-x-icu" (the OS has only C locales, which put Å
before Ä wrongly). SQLite gets a collation named "swedish" registered on every connection.
"""

from functools import cmp_to_key

from django.db import connection
from django.db.models.functions import Collate

POSTGRES_COLLATION = "sv-SE-x-icu"
SQLITE_COLLATION = "swedish"

# After casefolding: å, ä, ö sort after z (code points just above "z"); letters that
# Swedish treats as variants sort with their base letter.
_KEY = str.maketrans(
    {
        "å": "{",
        "ä": "|",
        "æ": "|",
        "ö": "}",
        "ø": "}",
        "é": "e",
        "è": "e",
        "ê": "e",
        "á": "a",
        "à": "a",
        "ü": "y",
    }
)


def swedish_key(text):
    text = text or ""
    return (text.casefold().translate(_KEY), text)


def swedish_compare(left, right):
    a, b = swedish_key(left), swedish_key(right)
    return (a > b) - (a < b)


def swedish_sorted(items, key=lambda item: item):
    return sorted(items, key=cmp_to_key(lambda x, y: swedish_compare(key(x), key(y))))


def swedish(expression):
    """`expression` collated the Swedish way, for order_by()."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(expression, name)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, swedish_compare)
