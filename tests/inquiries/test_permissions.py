"""Who may open inquiries: the Customer Center handles, the committee reads, nobody else
(the auditors included: Customer Center data)."""
import pytest

from tests import factories
from tests.inquiries.factories import make_inquiry

ROLES = ('employee', 'manager', 'committee', 'customer_center', 'auditor', 'admin')
SPECS = {'employee': (('employee',), 'SALES'),
         'manager': (('employee', 'manager'), 'SALES'),
         'committee': (('employee', 'committee'), 'LEGAL'),
         'customer_center': (('employee', 'customer_center'), 'CC'),
         'auditor': (('employee', 'auditor'), 'AUDIT'),
         'admin': (('admin',), 'IT')}

READ = {'customer_center': 200, 'committee': 200}
HANDLE = {'customer_center': 200, 'committee': 403}
MATRIX = [
    ('/inquiries/', READ),
    ('/inquiries/?status=all', READ),
    ('/inquiries/export.csv', READ),
    ('/inquiries/export.xlsx', READ),
    ('/inquiries/trends', READ),
    ('/inquiries/trends/export.csv', READ),
    ('/inquiries/{inquiry}', READ),
    ('/inquiries/linked/disclosure/1', READ),
    ('/inquiries/linked/incident/1', READ),
    ('/inquiries/new', HANDLE),
    ('/inquiries/{inquiry}/edit', HANDLE),
]


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('path,allowed', MATRIX, ids=[path for path, _ in MATRIX])
def test_role_endpoint_matrix(client, departments, role, path, allowed):
    """May this role open this inquiries page (403 for everyone but the Customer Center and,
    reading, the committee)?"""
    inquiry = make_inquiry()
    roles, department = SPECS[role]
    user = factories.make_user(roles=roles, department=department)
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    response = client.get(path.format(inquiry=inquiry.id))
    assert response.status_code == allowed.get(role, 403), response.text[:300]


@pytest.mark.parametrize('role', ['committee', 'auditor', 'manager', 'employee', 'admin'])
def test_only_the_customer_center_writes(client, departments, role):
    """Is every write by anyone but the Customer Center a 403, nothing changed?"""
    inquiry = make_inquiry()
    roles, department = SPECS[role]
    user = factories.make_user(roles=roles, department=department)
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    base = '/inquiries/%d' % inquiry.id
    for path, data in [(base + '/answer', {'answer': 'x', 'answered_on': '2025-01-01',
                                           'version': '1'}),
                       (base + '/close', {'version': '1'}), (base + '/reopen', {'version': '1'}),
                       (base + '/links', {'kind': 'disclosure', 'reference': 'DR-00001'}),
                       (base + '/edit', {'subject': 'x'}), ('/inquiries/new', {})]:
        assert client.post(path, data=data).status_code == 403, path


def test_an_unknown_inquiry_is_404(client, signed_in):
    """Is a missing inquiry a 404 for the Customer Center?"""
    assert client.get('/inquiries/999999').status_code == 404
    assert client.get('/inquiries/99999999999').status_code == 404
