"""Cells for CSV and Excel exports that a spreadsheet will never run as a formula.

OWASP's advice for CSV: a cell that starts with = + - @ tab or carriage return gets a
leading apostrophe, so Excel and LibreOffice show it as text. In xlsx the cell type says
what a cell is, so text is written as a string cell (with Excel's hidden quote prefix when
it looks like a formula) and numbers and dates as real values: nothing visible is added.
"""

import datetime

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value):
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_cell(value):
    """The text to write into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if looks_like_formula(value):
        return "'" + value
    return value


def csv_row(values):
    return [csv_cell(value) for value in values]


def append_xlsx_row(sheet, values):
    """Append one row to an openpyxl sheet: text as text, numbers and dates as values."""
    sheet.append([None if value is None else value for value in values])
    row = sheet.max_row
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            # openpyxl would store "=…" as a formula; a string cell is never evaluated.
            cell.value = value
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
        elif isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            cell.number_format = "yyyy-mm-dd"


class SafeCsvWriter:
    """csv.writer whose rows go through csv_cell."""

    def __init__(self, file, **options):
        import csv

        self._writer = csv.writer(file, **options)

    def writerow(self, values):
        return self._writer.writerow(csv_row(values))
