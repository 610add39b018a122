"""Who may open which audit page: a role × endpoint matrix, and department scoping."""
import pytest

from stintranet.audits.models import Inspection
from tests import factories
from tests.audits.factories import make_auditor, make_inspection, reported_inspection, sign_in

ROLES = {
    'auditor': (('employee', 'auditor'), 'AUDIT', ()),
    'committee': (('employee', 'committee'), 'LEGAL', ()),
    'sales_manager': (('employee', 'manager'), 'SALES', ('SALES',)),
    'hr_manager': (('employee', 'manager'), 'HR', ('HR',)),
    'employee': (('employee',), 'SALES', ()),
    'customer_center': (('employee', 'customer_center'), 'CC', ()),
    'admin': (('admin',), 'IT', ()),
}

# page → expected status per role (200 read, 404 hidden, 403 refused)
PAGES = {
    '/audits/': dict(auditor=200, committee=200, sales_manager=200, hr_manager=200),
    '/audits/findings/': dict(auditor=200, committee=200, sales_manager=200, hr_manager=200),
    '/audits/new': dict(auditor=200, committee=403, sales_manager=403, hr_manager=403),
    '/audits/{inspection}': dict(auditor=200, committee=200, sales_manager=200,
                                 hr_manager=404),
    '/audits/{inspection}/print': dict(auditor=200, committee=200, sales_manager=200,
                                       hr_manager=404),
    '/audits/{inspection}/checklist/{sales}': dict(auditor=200, committee=200,
                                                   sales_manager=200, hr_manager=404),
    '/audits/findings/{finding}': dict(auditor=200, committee=200, sales_manager=200,
                                       hr_manager=404),
    '/audits/{planned}/edit': dict(auditor=403, committee=403, sales_manager=403,
                                   hr_manager=403),
}


@pytest.mark.parametrize('role', ROLES)
def test_role_matrix(client, departments, role):
    """Does each role get exactly the access the design gives it on every audit page,
    and is every state change refused to anyone but the auditors?"""
    lead = make_auditor()
    inspection, finding = reported_inspection(lead=lead)
    planned = make_inspection(lead=lead)
    roles, department, manages = ROLES[role]
    sign_in(client, factories.make_user(roles=roles, department=department, manages=manages))
    got = {}
    for path, allowed in PAGES.items():
        url = path.format(inspection=inspection.id, planned=planned.id, finding=finding.id,
                          sales=departments['SALES'].id)
        got[path] = (client.get(url).status_code, allowed.get(role, 403))
    assert {path: seen for path, (seen, _) in got.items()} == {
        path: expected for path, (_, expected) in got.items()}
    if role != 'auditor':
        for path in ('/audits/{id}/start', '/audits/{id}/cancel', '/audits/{id}/report',
                     '/audits/{id}/findings/new', '/audits/{id}/edit'):
            response = client.post(path.format(id=planned.id), data={
                'reason': 'x', 'performed_on': '2020-01-01'})
            assert response.status_code == 403, path
        assert Inspection.get_by_id(planned.id).status == 'planned'


def test_a_manager_reads_only_their_departments_in_a_joint_inspection(client, departments):
    """In a SALES+HR inspection, does the HR manager see HR's findings only?"""
    lead = make_auditor()
    inspection, sales_finding = reported_inspection(lead=lead, departments=('SALES', 'HR'))
    sign_in(client, factories.make_user(roles=('employee', 'manager'), department='HR'))
    page = client.get('/audits/%d' % inspection.id)
    assert page.status_code == 200
    assert 'Unencrypted USB drives' not in page.text
    assert 'and 1 other department' in page.text
    assert client.get('/audits/%d/checklist/%d' % (
        inspection.id, departments['SALES'].id)).status_code == 404
    assert client.get('/audits/%d/checklist/%d' % (
        inspection.id, departments['HR'].id)).status_code == 200
    printed = client.get('/audits/%d/print' % inspection.id).text
    assert 'Unencrypted USB drives' not in printed and 'Checklist: Hr Department' in printed


def test_the_inspection_list_is_scoped(client, departments):
    """Does a manager's list hold only inspections of their departments?"""
    lead = make_auditor()
    make_inspection(lead=lead, departments=('SALES',), title='Sales inspection')
    make_inspection(lead=lead, departments=('HR',), title='HR inspection')
    sign_in(client, factories.make_user(roles=('employee', 'manager'), department='HR'))
    page = client.get('/audits/').text
    assert 'HR inspection' in page and 'Sales inspection' not in page
