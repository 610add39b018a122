"""Lists, the home panel and the printable report: constant queries, htmx fragments."""
import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.audits import checklist as C
from tests import factories
from tests.audits.factories import (
    add_finding,
    make_auditor,
    make_inspection,
    raise_action,
    reported_inspection,
    sign_in,
    start,
)


def queries(client, path):
    with count_queries() as counter:
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    return counter.count


def grow(lead, owner, n):
    """``n`` more reported inspections, each with a finding and an action."""
    for _ in range(n):
        _, finding = reported_inspection(lead=lead, departments=('SALES', 'HR'))
        raise_action(finding, owner, lead)
        make_inspection(lead=lead, departments=('IT',))


PATHS = ('/audits/', '/audits/?status=reported', '/audits/findings/?state=all', '/')


@pytest.mark.parametrize('who', ['auditor', 'manager'])
def test_lists_are_constant_in_queries(client, departments, auditor, sales_manager, who):
    """Do the lists (at most 8 queries each) and the home page cost the same for 1 or 6
    inspections?"""
    grow(auditor, sales_manager, 1)
    sign_in(client, auditor if who == 'auditor' else sales_manager)
    few = {path: queries(client, path) for path in PATHS}
    grow(auditor, sales_manager, 5)
    assert {path: queries(client, path) for path in PATHS} == few
    assert all(count <= 8 for path, count in few.items() if path != '/'), few


def test_inspection_page_is_constant_in_queries(client, departments, auditor, sales_manager):
    """Does the inspection page cost the same for 1 or 8 findings with actions?"""
    inspection = make_inspection(lead=auditor, departments=('SALES', 'HR'))
    start(inspection)
    raise_action(add_finding(inspection), sales_manager, auditor)
    sign_in(client, auditor)
    few = queries(client, '/audits/%d' % inspection.id)
    for n in range(7):
        raise_action(add_finding(inspection, title='Finding %d' % n), sales_manager, auditor)
    assert queries(client, '/audits/%d' % inspection.id) == few
    assert queries(client, '/audits/%d/print' % inspection.id) == queries(
        client, '/audits/%d/print' % inspection.id)


def test_list_htmx_returns_rows_only(client, departments, auditor):
    """Does a filtered htmx request get the rows fragment, varying on HX-Request?"""
    make_inspection(lead=auditor, title='Planned one')
    sign_in(client, auditor)
    response = client.get('/audits/?status=planned', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text and 'id="audits-rows"' in response.text
    assert 'Planned one' in response.text
    assert 'HX-Request' in response.headers['Vary']
    nothing = client.get('/audits/?status=reported', headers={'HX-Request': 'true'})
    assert 'Planned one' not in nothing.text
    findings = client.get('/audits/findings/?state=all', headers={'HX-Request': 'true'})
    assert '<html' not in findings.text and 'id="audits-finding-rows"' in findings.text


@pytest.mark.parametrize('query', ['?page=0', '?page=x', '?page=99999999999', '?department=x',
                                   '?year=abc', '?status=nonsense', '?department=99999999999'])
def test_odd_filters_never_fail(client, departments, auditor, query):
    """Are odd query strings answered without a 500?"""
    sign_in(client, auditor)
    assert client.get('/audits/' + query).status_code in (200, 404)
    assert client.get('/audits/findings/' + query).status_code in (200, 404)


def test_home_panel_for_the_auditor(client, departments, auditor, sales_manager):
    """Does the auditor's home show open findings, open actions and planned inspections?"""
    _, finding = reported_inspection(lead=auditor)
    raise_action(finding, sales_manager, auditor, title='Encrypt the drives')
    make_inspection(lead=auditor, departments=('HR',), title='HR inspection next week')
    sign_in(client, auditor)
    home = client.get('/home/panels/audits-inspections').text
    assert 'Inspections and findings' in home
    assert 'Unencrypted USB drives' in home and '1 action is open' in home
    assert 'HR inspection next week' in home


def test_home_panel_for_a_manager_is_scoped(client, departments, auditor):
    """Does the HR manager's panel leave out SALES's findings?"""
    reported_inspection(lead=auditor)
    make_inspection(lead=auditor, departments=('HR',), title='HR inspection next week')
    sign_in(client, factories.make_user(roles=('employee', 'manager'), department='HR'))
    home = client.get('/home/panels/audits-inspections').text
    assert 'Inspections of your departments' in home
    assert 'Unencrypted USB drives' not in home and 'HR inspection next week' in home


def test_printable_report(client, departments, auditor, sales_manager):
    """Is the report a script-free A4 page with the findings, checklist and a print entry?"""
    inspection, finding = reported_inspection(lead=auditor)
    raise_action(finding, sales_manager, auditor, title='Encrypt the drives')
    sign_in(client, auditor)
    response = client.get('/audits/%d/print' % inspection.id)
    text = response.text
    assert '<script' not in text and 'style=' not in text and ' on' + 'click' not in text
    assert 'audits-print.css' in text and inspection.reference in text
    assert 'Unencrypted USB drives' in text and 'Encrypt the drives' in text
    assert 'Mostly in order.' in text and text.count('<tr><td>') >= len(C.ITEMS)
    assert AuditEvent.select().where(AuditEvent.action == 'print').count() == 1


def test_draft_report_is_marked(client, departments, auditor):
    """Is a report printed before it is issued marked as a draft?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    sign_in(client, auditor)
    assert 'DRAFT' in client.get('/audits/%d/print' % inspection.id).text
    other = make_auditor()
    sign_in(client, other)
    assert client.get('/audits/%d/print' % inspection.id).status_code == 200
