"""Who may open and change the server area: a role × endpoint matrix."""
import pytest

from stintranet.serverarea.models import AreaEntry
from tests import factories
from tests.serverarea.factories import authorise, enter, manager_of

ROLES = ('employee', 'customer_center', 'admin', 'manager', 'other_manager', 'committee',
         'auditor')


def user_for(role):
    if role == 'manager':
        return manager_of('IT')
    if role == 'other_manager':
        return manager_of('HR')
    specs = {'employee': (('employee',), 'IT'),
             'customer_center': (('employee', 'customer_center'), 'CC'),
             'admin': (('admin',), 'IT'),
             'committee': (('employee', 'committee'), 'LEGAL'),
             'auditor': (('employee', 'auditor'), 'AUDIT')}
    roles, department = specs[role]
    return factories.make_user(roles=roles, department=department)


def expect(manager=200, other_manager=200, committee=200, auditor=200):
    """Employees, the Customer Center and administrators never open the server area."""
    return {'employee': 403, 'customer_center': 403, 'admin': 403, 'manager': manager,
            'other_manager': other_manager, 'committee': committee, 'auditor': auditor}


READ_ALL = expect()
OWN_AREA = expect(other_manager=404)
OWN_AREA_MANAGERS = expect(other_manager=404, auditor=403)
CREATE = expect(auditor=403)

MATRIX = [
    ('/server-area/', READ_ALL),
    ('/server-area/export.csv', READ_ALL),
    ('/server-area/export.xlsx', READ_ALL),
    ('/server-area/entries/', READ_ALL),
    ('/server-area/entries/export.csv', READ_ALL),
    ('/server-area/devices/', READ_ALL),
    ('/server-area/devices/export.xlsx', READ_ALL),
    ('/server-area/new', CREATE),
    ('/server-area/{area}', OWN_AREA),
    ('/server-area/{area}/open', OWN_AREA),
    ('/server-area/{area}/door', OWN_AREA_MANAGERS),
    ('/server-area/{area}/edit', OWN_AREA_MANAGERS),
    ('/server-area/{area}/entries/{entry}/devices/new', OWN_AREA_MANAGERS),
]


@pytest.fixture
def world(room, operator):
    return {'area': room.id, 'entry': enter(room, person=operator).id}


def sign_in(client, role):
    user = user_for(role)
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302
    return user


@pytest.mark.parametrize('role', ROLES)
@pytest.mark.parametrize('path,expected', MATRIX, ids=[path for path, _ in MATRIX])
def test_role_endpoint_matrix(client, world, role, path, expected):
    """May this role open this server-area page (403 for the role, 404 for another
    department's area)?"""
    sign_in(client, role)
    response = client.get(path.format(**world))
    assert response.status_code == expected[role], response.text[:300]


@pytest.mark.parametrize('role,status', [('auditor', 403), ('other_manager', 404),
                                         ('employee', 403), ('admin', 403),
                                         ('customer_center', 403)])
def test_only_managers_and_committee_record(client, world, room, operator, role, status):
    """Is an entry or an exit posted by anyone but the area's managers or the committee
    refused, and nothing changed?"""
    sign_in(client, role)
    other = factories.make_user(department='IT')
    authorise(room, other)
    response = client.post('/server-area/%d/door' % room.id,
                           data={'purpose': 'backup', 'person': str(other.id)})
    assert response.status_code == status
    response = client.post('/server-area/%d/entries/%d/exit' % (room.id, world['entry']))
    assert response.status_code == status
    assert AreaEntry.select().count() == 1
    assert AreaEntry.get_by_id(world['entry']).exited_at is None


def test_committee_records_at_any_door(client, world, room):
    """May a committee member record an exit in any department's area?"""
    sign_in(client, 'committee')
    response = client.post('/server-area/%d/entries/%d/exit' % (room.id, world['entry']))
    assert response.status_code == 303


def test_other_department_lists_are_empty(client, world):
    """Does another department's manager see neither the area nor its entries?"""
    sign_in(client, 'other_manager')
    assert 'Server room 3F' not in client.get('/server-area/').text
    assert 'Ken Operator' not in client.get('/server-area/entries/').text
    assert 'Server room 3F' not in client.get('/server-area/entries/export.csv').text
