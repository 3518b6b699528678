"""The follow-up board as CSV (Swedish Excel: UTF-8 with BOM, semicolons) and xlsx.

Rows hold real values (dates as dates); CSV writes them as ISO text, the xlsx as date cells
and text cells, which a spreadsheet never runs as formulas, so it needs no escape character.
"""

import csv
import datetime
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
        _("När (datum)"),
        _("När (fritext)"),
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
            item.meeting.date,
            item.what,
            item.who(),
            item.due_date,
            item.due_text,
            item.get_status_display(),
            _("ja") if item.is_overdue(today) else _("nej"),
            item.latest_report_text or "",
            item.latest_report_on,
        ]


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


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
        writer.writerow([csv_cell(cell) for cell in row])
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
    top = Alignment(wrap_text=True, vertical="top")
    for row_index, row in enumerate(rows(items, today), start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column, value=value)
            if isinstance(value, str):
                # A text cell, even when it starts with "=": stored as a string, never a formula.
                cell.data_type = "s"
            elif isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            cell.alignment = top
    widths = [28, 28, 12, 50, 28, 12, 22, 14, 10, 50, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
