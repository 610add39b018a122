"""Exports: the current filtered view as CSV and XLSX, columns by role, audit-logged."""
import csv
import io
import json

import pytest
from openpyxl import load_workbook

from stintranet import exports
from stintranet.auditlog.models import AuditEvent
from tests import factories
from tests.incidents.factories import make_action, make_incident


def read_csv(response):
    assert response.data.startswith('\ufeff'.encode('utf-8'))
    return list(csv.reader(io.StringIO(response.data.decode('utf-8-sig'))))


def read_xlsx(response):
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [[c if c is not None else '' for c in row] for row in sheet.iter_rows(values_only=True)]


def last_export():
    event = (AuditEvent.select().where(AuditEvent.action == 'export')
             .order_by(AuditEvent.seq.desc()).first())
    return event, json.loads(event.details)


def test_formula_injection_is_neutralised():
    """Is a cell starting with = + - @ written so no spreadsheet runs it?"""
    assert exports.safe('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert exports.safe('+81 3') == "'+81 3" and exports.safe('@SUM(A1)') == "'@SUM(A1)"
    assert exports.safe('-1') == "'-1" and exports.safe(-1) == -1
    assert exports.safe('Plain') == 'Plain' and exports.safe(None) == ''


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_incident_export_for_committee_parses_back_and_is_logged(client, login_as, fmt):
    """Does the committee's incident export parse back, follow the filter, omit the narrative and get audit-logged?"""
    login_as('employee', 'committee', department='LEGAL')
    kept = make_incident(narrative='Secret narrative about Ms Ueda.', summary='=cmd|calc')
    make_incident(status='closed')
    response = client.get('/incidents/export.%s?status=open' % fmt)
    assert response.status_code == 200
    assert 'attachment; filename="incidents-' in response.headers['Content-Disposition']
    rows = read_csv(response) if fmt == 'csv' else read_xlsx(response)
    assert rows[0][0] == 'Reference' and 'Department' in rows[0] and 'Handler' in rows[0]
    assert [r[0] for r in rows[1:]] == [kept.reference]
    assert "'=cmd|calc" in rows[1]
    assert 'Secret narrative' not in response.data.decode('latin-1')
    event, details = last_export()
    assert event.object_type == 'incident'
    assert details['format'] == fmt and details['rows'] == 1
    assert details['filters']['status'] == 'open'


def test_incident_export_for_a_reporter_has_only_their_columns(client, login_as):
    """Does an employee's export hold only their own reports and the columns they see?"""
    alice = login_as('employee')
    mine = make_incident(reporter=alice)
    make_incident()
    rows = read_csv(client.get('/incidents/export.csv'))
    assert rows[0] == ['Reference', 'Reported', 'Kind', 'Status']
    assert [r[0] for r in rows[1:]] == [mine.reference]


def test_corrective_export_follows_filter(client, login_as):
    """Does the corrective-action export hold the filtered actions of the reader?"""
    owner = login_as('employee')
    make_action(make_incident(), owner, title='Lock the cabinet', due_in_days=-1)
    make_action(make_incident(), factories.make_user(), title='Someone else')
    rows = read_xlsx(client.get('/corrective-actions/export.xlsx?status=overdue'))
    assert [r[1] for r in rows[1:]] == ['Lock the cabinet']
    assert last_export()[1]['filters']['status'] == 'overdue'


def test_audit_log_export_is_for_auditors_only(client, login_as):
    """Can an auditor export the audit log, and is an employee refused?"""
    login_as('employee', 'auditor', department='AUDIT')
    rows = read_csv(client.get('/audit-log/export.csv?action=login'))
    assert rows[0][:3] == ['When', 'Who', 'Action'] and len(rows) >= 2
    assert all(r[2] == 'login' for r in rows[1:])
    client.post('/logout')
    login_as('employee')
    assert client.get('/audit-log/export.csv').status_code == 403


def test_admin_users_export(client, login_as):
    """Does the administrator's account export hold account data, filtered by role?"""
    login_as('admin', department='IT')
    factories.make_user(roles=('employee', 'auditor'), department='AUDIT', email='aud@example.com')
    rows = read_csv(client.get('/admin/users/export.csv?role=auditor'))
    assert rows[0][:3] == ['E-mail', 'Name', 'Department']
    assert [r[0] for r in rows[1:]] == ['aud@example.com']


def test_unknown_format_is_404(client, login_as):
    """Is an unknown export format a 404?"""
    login_as('employee', 'committee')
    assert client.get('/incidents/export.pdf').status_code == 404


def test_training_overdue_xlsx(client, login_as):
    """Does the training overdue list export as XLSX for a manager, audit-logged?"""
    login_as('employee', 'manager', manages=('SALES',))
    response = client.get('/training/overdue.xlsx')
    assert response.status_code == 200
    rows = read_xlsx(response)
    assert rows[0][:3] == ['department_code', 'name', 'email']
    assert last_export()[0].object_type == 'training_overdue'


@pytest.mark.parametrize('fmt', ['csv', 'xlsx'])
def test_requests_export_never_holds_the_requester(client, login_as, fmt):
    """Does the requests export hold the list's columns only, never the requester's identity?"""
    from tests.disclosure.factories import make_request
    login_as('employee', 'customer_center', department='CC')
    req = make_request(name='Hanako Yamada')
    response = client.get('/requests/export.%s?status=open' % fmt)
    assert response.status_code == 200
    rows = read_csv(response) if fmt == 'csv' else read_xlsx(response)
    assert [r[0] for r in rows[1:]] == [req.reference]
    assert b'Yamada' not in response.data and b'Marunouchi' not in response.data
    assert last_export()[0].object_type == 'disclosure_request'
    client.post('/logout')
    login_as('employee')
    assert client.get('/requests/export.csv').status_code == 403
