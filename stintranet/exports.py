"""Exports of a list's current filtered view as CSV or XLSX, audit-logged.

One helper for every list: the view builds the columns the person may read and
the rows of the filtered query, and ``export_response`` writes the file and the
audit-log row ('export': the report, the format, the number of rows, the column
keys and the filters; never a cell's value).

- CSV is UTF-8 with a byte-order mark and CRLF line ends, so Excel in Japan
  opens it with the right characters.
- A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return is prefixed with an apostrophe so that a spreadsheet never runs it
  as a formula (CSV injection); numbers stay numbers.
- XLSX is written with openpyxl (write-only, one sheet, bold header, frozen
  first row), its cells explicitly typed as strings where they are text.
"""
import csv
import datetime
import io
from collections import namedtuple

from flask import Response, abort
from flask_babel import get_locale, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from . import auditlog
from .db import database
from .timezone import office_zone

FORMATS = ('csv', 'xlsx')
CSV_MIMETYPE = 'text/csv; charset=utf-8'
XLSX_MIMETYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
DANGEROUS_PREFIXES = ('=', '+', '-', '@', '\t', '\r')

# ``key`` names the column in the audit log, ``label`` heads it, ``value(row)`` reads it.
Column = namedtuple('Column', 'key label value')


def column(key, label, value=None):
    """A column; ``value`` defaults to the row's attribute ``key``."""
    return Column(key, label, value or (lambda row: getattr(row, key)))


def in_words():
    """Whether headings and yes/no are written in words: in every language but English,
    whose files keep the codes scripts read (department_code, yes)."""
    return str(get_locale() or 'en') != 'en'


def heading(key, label):
    """A column's heading: its code in English, ``label`` in any other language."""
    return label if in_words() else key


def yes_no(value):
    """'yes' / 'no' in English, はい / いいえ in Japanese."""
    if in_words():
        return pgettext('export', 'yes') if value else pgettext('export', 'no')
    return 'yes' if value else 'no'


def plain(value):
    """A cell value as CSV/XLSX can hold it: text, a number, a date; '' for nothing."""
    if value is None:
        return ''
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        # Stored as naive UTC; people read office time.
        local = value.replace(tzinfo=datetime.timezone.utc).astimezone(office_zone())
        return local.strftime('%Y-%m-%d %H:%M')
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return value
    return str(value)


def neutralise(value):
    """A text that a spreadsheet would read as a formula, quoted with ' (CSV injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def safe(value):
    """A cell value made plain and safe from formula injection."""
    return neutralise(plain(value))


def table(columns, rows):
    """[[header...], [cell...]...] with every cell made safe."""
    yield [str(c.label) for c in columns]
    for row in rows:
        yield [safe(c.value(row)) for c in columns]


def to_csv(columns, rows):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    count = -1
    for line in table(columns, rows):
        writer.writerow(line)
        count += 1
    return ('\ufeff' + out.getvalue()).encode('utf-8'), count


def to_xlsx(columns, rows, title='Export'):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or 'Export')
    sheet.freeze_panes = 'A2'
    bold = Font(bold=True)
    count = -1
    for number, line in enumerate(table(columns, rows)):
        cells = []
        for value in line:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = 's'  # never a formula, whatever the text
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count


def export_response(fmt, name, columns, rows, *, object_type, filters=None, details=None,
                    title=None):
    """The file as an attachment, and one 'export' row in the audit log.

    ``fmt`` is 'csv' or 'xlsx' (anything else is a 404); ``name`` starts the file
    name (the office date is appended); ``filters`` are the list's filters as the
    person set them (empty ones are left out of the log).
    """
    if fmt not in FORMATS:
        abort(404)
    rows = list(rows)
    if fmt == 'csv':
        body, count = to_csv(columns, rows)
        mimetype = CSV_MIMETYPE
    else:
        body, count = to_xlsx(columns, rows, title=str(title or name))
        mimetype = XLSX_MIMETYPE
    logged = {'report': name, 'format': fmt, 'rows': count,
              'columns': [c.key for c in columns],
              'filters': {k: v for k, v in (filters or {}).items()
                          if v not in (None, '', [], ())}}
    logged.update(details or {})
    with database.atomic():
        auditlog.record('export', object_type=object_type, details=logged)
    today = datetime.datetime.now(office_zone()).date().isoformat()
    response = Response(body, content_type=mimetype)  # CSV_MIMETYPE names its charset
    response.headers['Content-Disposition'] = 'attachment; filename="%s-%s.%s"' % (
        name, today, fmt)
    return response
