from django.db import migrations

TABLE = "archive_searchdocument"


def use_lz4(apps, schema_editor):
    """Ranking and headlines decompress each hit's text and tsvector; lz4 does that several
    times faster than PostgreSQL's default pglz. PostgreSQL only, and only where the server
    was built with lz4 (Debian's is); values written from now on are compressed so."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    if row and row[0]:
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN body SET COMPRESSION lz4, "
            "ALTER COLUMN vector SET COMPRESSION lz4"
        )


def use_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"ALTER TABLE {TABLE} ALTER COLUMN body SET COMPRESSION default, "
            "ALTER COLUMN vector SET COMPRESSION default"
        )


class Migration(migrations.Migration):
    dependencies = [("archive", "0003_archived_pdf_rerendered")]

    operations = [migrations.RunPython(use_lz4, use_default)]
