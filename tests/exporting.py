"""Reading the lists' exports back in tests: CSV and XLSX rows, the last 'export' event."""
import csv
import io
import json

from openpyxl import load_workbook
from playhouse.test_utils import count_queries

from stintranet import exports
from stintranet.auditlog.models import AuditEvent

FORMATS = ('csv', 'xlsx')
MIMETYPES = {'csv': exports.CSV_MIMETYPE, 'xlsx': exports.XLSX_MIMETYPE}


def rows_of(response, fmt):
    """The file's rows (header first) as lists of cell values; '' for an empty cell."""
    assert response.status_code == 200, response.status_code
    assert response.headers['Content-Type'] == MIMETYPES[fmt]
    assert response.headers['Content-Disposition'].startswith('attachment; filename="')
    if fmt == 'csv':
        assert response.data.startswith('\ufeff'.encode('utf-8'))
        return list(csv.reader(io.StringIO(response.data.decode('utf-8-sig'))))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [['' if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def column(rows, label):
    """The values of the column headed ``label`` (header left out)."""
    index = rows[0].index(label)
    return [row[index] for row in rows[1:]]


def file_name(response):
    return response.headers['Content-Disposition'].split('filename="', 1)[1].rstrip('"')


def export_events():
    return list(AuditEvent.select().where(AuditEvent.action == 'export')
                .order_by(AuditEvent.seq))


def last_export():
    """(the last 'export' event, its details as a dict)."""
    event = export_events()[-1]
    return event, json.loads(event.details)


def queries_of(client, url):
    """How many queries answering ``url`` takes (it must answer 200)."""
    with count_queries() as counter:
        response = client.get(url)
        assert response.status_code == 200, response.status_code
    return counter.count
