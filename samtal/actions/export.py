"""The follow-up board as CSV (Swedish Excel: UTF-8 with BOM, semicolons) and xlsx.

Rows hold real values (dates as dates); CSV writes them as ISO text and escapes what looks
like a formula, the xlsx writes date cells and text cells, which a spreadsheet never runs as
formulas, so nothing visible is added (samtal.core.spreadsheets).
"""

import csv
import io

from django.utils.translation import gettext as _

from samtal.core.spreadsheets import SafeCsvWriter, append_xlsx_row


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


def as_csv(items, today):
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(columns())
    for row in rows(items, today):
        writer.writerow(row)
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
        append_xlsx_row(sheet, row)
    widths = [28, 28, 12, 50, 28, 12, 22, 14, 10, 50, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
