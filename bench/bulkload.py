"""Fast bulk loading for benches: PostgreSQL COPY with ids assigned here.

Django's bulk_create builds one model instance per row and sends INSERTs; at millions of
rows that is most of a bench's run. `Loader.copy()` streams plain tuples through COPY
(psycopg 3), fills the columns a row does not name with the model's defaults, and hands
out ids itself so rows can reference each other before they are written.
"""

import datetime

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone


class Loader:
    def __init__(self):
        self.next_ids = {}
        self.models = []

    def ids(self, model, n):
        """n fresh primary keys for `model` (after whatever the table holds)."""
        table = model._meta.db_table
        if table not in self.next_ids:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
                self.next_ids[table] = cursor.fetchone()[0]
            self.models.append(model)
        start = self.next_ids[table]
        self.next_ids[table] = start + n
        return range(start, start + n)

    def copy(self, model, fields, rows):
        """COPY `rows` (tuples: id, then `fields` in order) into the model's table."""
        meta = model._meta
        named = {"id", *fields}
        now = timezone.now()
        rest, constants = [], []
        for field in meta.concrete_fields:
            if field.column in named or field.attname in named or field.name in named:
                continue
            if getattr(field, "generated", False):  # computed by the database
                continue
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            value = now if auto else field.get_default()
            rest.append(field.column)
            constants.append(field.get_db_prep_save(value, connection))
        columns = ", ".join(["id", *(meta.get_field(f).column for f in fields), *rest])
        constants = tuple(constants)
        connection.ensure_connection()
        raw = connection.connection
        count = 0
        sql = f"COPY {meta.db_table} ({columns}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + constants)
                count += 1
        if not raw.autocommit:
            raw.commit()
        return count

    def reset_sequences(self):
        """Point every table's id sequence past the ids handed out here."""
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def days(n):
    return datetime.timedelta(days=n)
