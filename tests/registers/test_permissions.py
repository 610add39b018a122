"""Who may read and write each register: a role × endpoint matrix."""
import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.registers.models import Asset, Disposal
from tests import factories
from tests.ledger.factories import make_entry
from tests.registers.factories import (
    make_asset,
    make_contractor,
    make_provision,
    make_purpose_change,
    manager_of,
)

ROLES = ('employee', 'customer_center', 'admin', 'manager', 'other_manager', 'committee',
         'auditor')


def user_for(role):
    if role == 'manager':
        return manager_of('SALES')
    if role == 'other_manager':
        return manager_of('HR')
    specs = {'employee': (('employee',), 'SALES'),
             'customer_center': (('employee', 'customer_center'), 'CC'),
             'admin': (('admin',), 'IT'),
             'committee': (('employee', 'committee'), 'LEGAL'),
             'auditor': (('employee', 'auditor'), 'AUDIT')}
    roles, department = specs[role]
    return factories.make_user(roles=roles, department=department)


def expect(readers=200, manager=200, other_manager=200, committee=200, auditor=200):
    """Employees, the Customer Center and administrators never open a register."""
    return {'employee': 403, 'customer_center': 403, 'admin': 403, 'manager': manager,
            'other_manager': other_manager, 'committee': committee, 'auditor': auditor}


READ_ALL = expect()
OWN_DEPARTMENT = expect(other_manager=404)
COMMITTEE_WRITES = expect(manager=403, other_manager=403, auditor=403)
MANAGER_CREATES = expect(committee=403, auditor=403)
OWN_MANAGER_WRITES = expect(other_manager=404, committee=403, auditor=403)

MATRIX = [
    ('/registers/', READ_ALL),
    ('/registers/contractors/', READ_ALL),
    ('/registers/contractors/{contractor}', READ_ALL),
    ('/registers/contractors/export.csv', READ_ALL),
    ('/registers/contractors/new', COMMITTEE_WRITES),
    ('/registers/contractors/{contractor}/edit', COMMITTEE_WRITES),
    ('/registers/provisions/', READ_ALL),
    ('/registers/provisions/{provision}', OWN_DEPARTMENT),
    ('/registers/provisions/new', MANAGER_CREATES),
    ('/registers/provisions/{provision}/edit', OWN_MANAGER_WRITES),
    ('/registers/assets/', READ_ALL),
    ('/registers/assets/{asset}', OWN_DEPARTMENT),
    ('/registers/assets/new', MANAGER_CREATES),
    ('/registers/assets/{asset}/edit', OWN_MANAGER_WRITES),
    ('/registers/assets/{asset}/carry-outs/new', OWN_MANAGER_WRITES),
    ('/registers/assets/{asset}/dispose', OWN_MANAGER_WRITES),
    ('/registers/purpose-changes/', READ_ALL),
    ('/registers/purpose-changes/{notice}', OWN_DEPARTMENT),
    ('/registers/purpose-changes/new', MANAGER_CREATES),
    ('/registers/purpose-changes/{notice}/edit', OWN_MANAGER_WRITES),
    ('/registers/entries/{entry}', OWN_DEPARTMENT),
    ('/registers/documents/{document}', READ_ALL),
]


@pytest.fixture
def world(app):
    for code in ('SALES', 'HR', 'IT', 'CC', 'LEGAL', 'AUDIT'):
        factories.make_department(code)
    entry = make_entry('SALES', outsourced=True)
    contractor = make_contractor(entry_ids=[entry.id],
                                 upload=(b'%PDF-1.4\n%%EOF\n', 'application/pdf', 'nda.pdf'))
    return {
        'entry': entry.id, 'contractor': contractor.id,
        'document': contractor.documents.get().id,
        'provision': make_provision(entry).id,
        'asset': make_asset('SALES').id,
        'notice': make_purpose_change(entry).id,
    }


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('path,expected', MATRIX, ids=[path for path, _ in MATRIX])
def test_role_endpoint_matrix(client, world, role, path, expected):
    """May this role open this register page (403 for the role, 404 for another department)?"""
    user = user_for(role)
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302
    response = client.get(path.format(**world))
    assert response.status_code == expected[role], response.text[:500]


@pytest.mark.parametrize('role', ['committee', 'auditor', 'other_manager', 'employee', 'admin'])
def test_only_the_departments_manager_disposes(client, world, role):
    """Does a disposal posted by anyone but the asset's manager change nothing?"""
    user = user_for(role)
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    witness = factories.make_user(department='SALES')
    before = AuditEvent.select().count()
    response = client.post('/registers/assets/%d/dispose' % world['asset'], data={
        'disposed_on': '2024-01-10', 'method': 'physical_destruction',
        'performed_by': str(user.id), 'witness': str(witness.id)})
    assert response.status_code in (403, 404)
    assert Asset.get_by_id(world['asset']).state == 'in_service'
    assert not Disposal.select().exists()
    assert AuditEvent.select().where(AuditEvent.seq > before,
                                     AuditEvent.action == 'dispose').count() == 0


def test_manager_without_departments_sees_nothing(client, world):
    """Does a manager who manages no department get empty lists and 404 for records?"""
    user = factories.make_user(roles=('employee', 'manager'), department='IT', manages=('IT',))
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    listing = client.get('/registers/assets/')
    assert listing.status_code == 200 and 'USB-SALES' not in listing.text
    assert client.get('/registers/assets/%d' % world['asset']).status_code == 404
    assert 'Recipient' not in client.get('/registers/provisions/').text.split('<tbody>')[1]
