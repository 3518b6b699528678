"""The follow-up board as CSV (Swedish Excel: UTF-8 with BOM, semicolons) and xlsx."""

import csv
import io

from django.utils.translation import gettext as _

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns():
    return [
        _("Samtal"),
        _("Enhet"),
        _("Datum"),
        _("Vad"),
        _("Vem/vilka"),
        _("När"),
        _("Status"),
        _("Försenad"),
        _("Senaste återrapport"),
        _("Återrapportens datum"),
    ]


def rows(items, today):
    for item in items:
        yield [
            item.meeting.theme,
            item.meeting.unit.name,
            item.meeting.date.isoformat(),
            item.what,
            item.who(),
            item.when(),
            item.get_status_display(),
            _("ja") if item.is_overdue(today) else _("nej"),
            item.latest_report_text or "",
            item.latest_report_on.isoformat() if item.latest_report_on else "",
        ]


def safe_cell(value):
    """Text a spreadsheet must not run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def as_csv(items, today):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns())
    for row in rows(items, today):
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(items, today):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Åtgärder")
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(items, today):
        sheet.append([safe_cell(cell) for cell in row])
    widths = [28, 28, 12, 50, 28, 18, 14, 10, 50, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
