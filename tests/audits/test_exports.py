"""Exports of the inspections and findings lists: filtered, scoped, audit-logged."""
import pytest

from stintranet.audits import checklist as C
from stintranet.timezone import today_local
from tests.audits.factories import (
    add_finding,
    make_inspection,
    raise_action,
    reported_inspection,
    sign_in,
    start,
)
from tests.exporting import (
    FORMATS,
    column,
    export_events,
    file_name,
    last_export,
    queries_of,
    rows_of,
)


@pytest.fixture
def world(departments, auditor, sales_manager):
    """A reported SALES inspection with a major finding and its action, a running HR one
    with a minor finding, and a planned IT one."""
    sales, sales_finding = reported_inspection(lead=auditor, departments=('SALES',))
    raise_action(sales_finding, sales_manager, auditor, title='Encrypt the USB drives')
    hr = make_inspection(lead=auditor, departments=('HR',), title='Inspection of HR')
    start(hr)
    hr_finding = add_finding(hr, department='HR', item_key='clear_desk', severity=C.MINOR,
                             title='=HYPERLINK("http://evil.example")')
    it = make_inspection(lead=auditor, departments=('IT',), title='Inspection of IT')
    return {'sales': sales, 'hr': hr, 'it': it, 'sales_finding': sales_finding,
            'hr_finding': hr_finding}


@pytest.mark.parametrize('fmt', FORMATS)
def test_inspections_export_follows_the_filter(client, world, auditor, fmt):
    """Does the auditor's inspections export hold the filtered inspections, the list's
    columns, and get audit-logged with the filter?"""
    sign_in(client, auditor)
    response = client.get('/audits/export.%s?status=open' % fmt)
    rows = rows_of(response, fmt)
    assert file_name(response).startswith('inspections-') and file_name(response).endswith(fmt)
    assert rows[0] == ['Ref.', 'Inspection', 'Scope', 'Planned', 'Performed', 'Lead auditor',
                       'Status', 'Open findings']
    assert sorted(column(rows, 'Ref.')) == sorted([world['hr'].reference,
                                                  world['it'].reference])
    by_ref = {row[0]: row for row in rows[1:]}
    assert by_ref[world['hr'].reference][2] == 'HR'
    assert by_ref[world['hr'].reference][5] == auditor.name
    assert by_ref[world['hr'].reference][7] in (1, '1')
    event, details = last_export()
    assert event.object_type == 'inspection'
    assert details['format'] == fmt and details['rows'] == 2
    assert details['filters'] == {'status': 'open'}


@pytest.mark.parametrize('fmt', FORMATS)
def test_findings_export_follows_the_filter(client, world, auditor, fmt):
    """Does the findings export hold the filtered findings with their actions and state?"""
    sign_in(client, auditor)
    response = client.get('/audits/findings/export.%s?state=all&severity=major' % fmt)
    rows = rows_of(response, fmt)
    assert file_name(response).startswith('audit-findings-')
    assert rows[0] == ['Ref.', 'Department', 'Severity', 'Finding', 'Corrective actions',
                       'State']
    assert column(rows, 'Ref.') == ['%s-F1' % world['sales'].reference]
    assert column(rows, 'Severity') == ['Major nonconformity']
    action = column(rows, 'Corrective actions')[0]
    assert action.startswith('Encrypt the USB drives — Akiko Watanabe, due ')
    assert column(rows, 'State') == ['Open']
    event, details = last_export()
    assert event.object_type == 'finding'
    assert details['filters'] == {'state': 'all', 'severity': 'major'}
    assert details['columns'] == ['reference', 'department', 'severity', 'title',
                                  'corrective_actions', 'state']


def test_finding_without_action_says_so(client, world, auditor):
    """Is a nonconformity without a corrective action marked as needing one?"""
    sign_in(client, auditor)
    rows = rows_of(client.get('/audits/findings/export.csv?department=%d'
                              % world['hr'].scope()[0].id), 'csv')
    assert column(rows, 'State') == ['Needs a corrective action']


def test_formula_is_neutralised(client, world, auditor):
    """Is a finding titled like a formula written so no spreadsheet runs it?"""
    sign_in(client, auditor)
    csv_rows = rows_of(client.get('/audits/findings/export.csv?state=all'), 'csv')
    assert '\'=HYPERLINK("http://evil.example")' in column(csv_rows, 'Finding')
    xlsx_rows = rows_of(client.get('/audits/findings/export.xlsx?state=all'), 'xlsx')
    assert '\'=HYPERLINK("http://evil.example")' in column(xlsx_rows, 'Finding')


@pytest.mark.parametrize('fmt', FORMATS)
def test_manager_exports_their_departments_only(client, world, sales_manager, fmt):
    """Does a SALES manager's export hold SALES's inspection and findings only?"""
    sign_in(client, sales_manager)
    inspections = rows_of(client.get('/audits/export.%s' % fmt), fmt)
    assert column(inspections, 'Ref.') == [world['sales'].reference]
    findings = rows_of(client.get('/audits/findings/export.%s?state=all' % fmt), fmt)
    assert column(findings, 'Department') == ['SALES']
    assert '=HYPERLINK' not in str(findings)


@pytest.mark.parametrize('path', ['/audits/export.csv', '/audits/export.xlsx',
                                  '/audits/findings/export.csv',
                                  '/audits/findings/export.xlsx'])
@pytest.mark.parametrize('roles', [('employee',), ('employee', 'customer_center'), ('admin',)])
def test_others_may_not_export(client, login_as, world, path, roles):
    """Is an employee, the Customer Center or an administrator refused, nothing logged?"""
    login_as(*roles, department='IT')
    assert client.get(path).status_code == 403
    assert export_events() == []


def test_committee_may_export(client, login_as, world):
    """Does the committee, reading all departments, export every inspection?"""
    login_as('employee', 'committee', department='LEGAL')
    assert len(rows_of(client.get('/audits/export.xlsx'), 'xlsx')) == 4


@pytest.mark.parametrize('path', [
    '/audits/export.csv?status=nonsense', '/audits/export.csv?department=x',
    '/audits/export.xlsx?year=abc', '/audits/export.csv?department=99999999999',
    '/audits/findings/export.csv?state=bogus', '/audits/findings/export.csv?severity=huge',
    '/audits/findings/export.xlsx?department=-1'])
def test_bad_filters_are_refused(client, world, auditor, path):
    """Is an export with a filter it does not understand a 422 naming it, never a 500
    nor a silently unfiltered file?"""
    sign_in(client, auditor)
    response = client.get(path)
    assert response.status_code == 422
    assert 'These filters were not understood' in response.text
    assert export_events() == []


def test_unknown_format_is_404(client, world, auditor):
    """Is an unknown format a 404?"""
    sign_in(client, auditor)
    assert client.get('/audits/export.pdf').status_code == 404
    assert client.get('/audits/findings/export.json').status_code == 404


def test_list_pages_link_their_exports_with_the_filters(client, world, auditor):
    """Do both list pages (and their htmx rows) link CSV and Excel with the current filters?"""
    sign_in(client, auditor)
    page = client.get('/audits/?status=open&year=%d&page=1' % today_local().year).text
    assert 'href="/audits/export.csv?status=open&amp;year=' in page
    assert 'href="/audits/export.xlsx?status=open&amp;year=' in page
    assert 'page=1' not in page.split('export.csv', 1)[1].split('"', 1)[0]
    rows = client.get('/audits/findings/?state=all', headers={'HX-Request': 'true'}).text
    assert 'href="/audits/findings/export.csv?state=all"' in rows
    assert 'href="/audits/findings/export.xlsx?state=all"' in rows


@pytest.mark.parametrize('who', ['auditor', 'manager'])
def test_exports_are_constant_in_queries(client, departments, auditor, sales_manager, who):
    """Do the exports cost the same queries for 1 or 6 inspections with findings and actions?"""
    def grow(n):
        for _ in range(n):
            _, finding = reported_inspection(lead=auditor, departments=('SALES', 'HR'))
            raise_action(finding, sales_manager, auditor)
            make_inspection(lead=auditor, departments=('IT',))

    grow(1)
    sign_in(client, auditor if who == 'auditor' else sales_manager)
    paths = ('/audits/export.csv', '/audits/export.xlsx?status=reported',
             '/audits/findings/export.csv?state=all', '/audits/findings/export.xlsx')
    few = {path: queries_of(client, path) for path in paths}
    grow(5)
    assert {path: queries_of(client, path) for path in paths} == few
    assert len(rows_of(client.get('/audits/findings/export.csv?state=all'), 'csv')) == 7
