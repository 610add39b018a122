"""Users of six different scopes, visiting in several orders, only ever open their own
departments' entries."""
import pytest

from tests import factories
from tests.ledger.factories import make_entry

USERS = {
    'committee': dict(roles=('employee', 'committee'), department='LEGAL'),
    'auditor': dict(roles=('employee', 'auditor'), department='AUDIT'),
    'sales': dict(roles=('employee', 'manager'), department='SALES', manages=('SALES',)),
    'hr': dict(roles=('employee', 'manager'), department='HR', manages=('HR',)),
    'two': dict(roles=('employee', 'manager'), department='HR', manages=('HR', 'SALES')),
    'it': dict(roles=('employee', 'manager'), department='IT', manages=('IT',)),
}
VISIBLE = {'committee': {'SALES', 'HR', 'IT'}, 'auditor': {'SALES', 'HR', 'IT'},
           'sales': {'SALES'}, 'hr': {'HR'}, 'two': {'SALES', 'HR'}, 'it': {'IT'}}


@pytest.fixture
def world(app):
    entries = {code: make_entry(code, title='Process of %s' % code)
               for code in ('SALES', 'HR', 'IT')}
    users = {name: factories.make_user(**spec) for name, spec in USERS.items()}
    clients = {}
    for name, user in users.items():
        clients[name] = app.test_client()
        response = clients[name].post('/login', data={'email': user.email,
                                                      'password': factories.PASSWORD})
        assert response.status_code == 302
    return entries, users, clients


@pytest.mark.parametrize('order', [list(USERS), list(reversed(USERS)),
                                   ['two', 'sales', 'committee', 'hr', 'it', 'auditor']])
def test_no_user_gets_another_scopes_entry(world, order):
    """Does each user open exactly their departments' entries (404 for the others), in
    any order of users?"""
    entries, users, clients = world
    for _round in range(2):
        for name in order:
            for code, entry in entries.items():
                response = clients[name].get('/ledger/%d' % entry.id)
                if code in VISIBLE[name]:
                    assert response.status_code == 200, (name, code)
                    assert entry.title in response.text
                else:
                    assert response.status_code == 404, (name, code)
                    assert entry.title not in response.text
