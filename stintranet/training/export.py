"""CSV downloads that Excel opens correctly and cannot turn into formulas."""
import csv
import datetime
import io

from flask import Response

from ..exports import neutralise


def safe_cell(value):
    """A cell that a spreadsheet shows as text, never evaluates (CSV injection)."""
    if value is None:
        return ''
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    if isinstance(value, (int, float)):
        return text
    return neutralise(text)


def csv_response(filename, header, rows):
    """UTF-8 with a byte-order mark, so Excel in Japan reads the names right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator='\r\n')
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    response = Response('\ufeff' + out.getvalue(), mimetype='text/csv')
    response.headers['Content-Disposition'] = 'attachment; filename="%s"' % filename
    return response
