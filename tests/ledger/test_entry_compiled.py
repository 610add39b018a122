"""The entry page's queries are compiled once per process and shared by every user: no
user may ever get another scope's rows, whoever asked before, and the page must be the
one plain peewee gives."""
import re

import pytest

from stintranet import compiled
from stintranet.auditlog import models as audit_models
from stintranet.auditlog.models import AuditEvent
from stintranet.auth import models as auth_models
from stintranet.auth.models import User
from stintranet.ledger import models as ledger_models
from stintranet.ledger.models import LedgerEntry
from stintranet.registers import linked
from tests import factories
from tests.ledger.factories import make_entry
from tests.registers.factories import make_contractor

CSRF_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"|"X-CSRFToken": "[^"]*"')
COMPILED = [auth_models._SESSION_USER, ledger_models._PAGE_ENTRY, ledger_models._ENTRY_ITEMS,
            ledger_models._ENTRY_REVISIONS, ledger_models._ENTRY_REVIEWS,
            audit_models._HEAD_LINK, audit_models._INSERT]

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


def uncached_entry(user, entry_id):
    return (LedgerEntry.visible_with_responsible(user)
            .select_extend(*linked.presence_columns(LedgerEntry.id))
            .where(LedgerEntry.id == entry_id).first())


@pytest.mark.parametrize('order', [list(USERS), list(reversed(USERS)),
                                   ['two', 'sales', 'committee', 'hr', 'it', 'auditor']])
def test_no_user_gets_another_scopes_entry(world, order):
    """Does each user open exactly their departments' entries (404 for the others), in
    any order of users sharing the compiled plans?"""
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


def test_compiled_reads_equal_plain_peewee(world):
    """Do the session user and the entry equal the uncached queries' rows, for every
    user and entry, when the plans are reused across scopes?"""
    entries, users, _clients = world
    # An entry without a responsible person: the outer join's missing side.
    LedgerEntry.update(responsible=None).where(LedgerEntry.id == entries['IT'].id).execute()
    for _round in range(2):
        for name, user in users.items():
            loaded = User.load_for_session(user.id)
            assert loaded.__data__ == User.get_by_id(user.id).__data__
            assert loaded.department.code == USERS[name]['department']
            assert loaded.roles == frozenset(USERS[name]['roles'])
            assert loaded.managed_department_ids == frozenset(
                d.id for d in (factories.make_department(c)
                               for c in USERS[name].get('manages', ())))
            for code, entry in entries.items():
                got = LedgerEntry.for_page(loaded, entry.id)
                want = uncached_entry(loaded, entry.id)
                if code not in VISIBLE[name]:
                    assert got is None and want is None
                    continue
                assert got.__data__ == want.__data__
                assert got.department.__data__ == want.department.__data__
                if code == 'IT':
                    assert got.responsible is None and want.responsible is None
                else:
                    assert got.responsible.__data__ == want.responsible.__data__
                assert [getattr(got, linked.PREFIX + n) for n in linked.LISTS] == \
                    [getattr(want, linked.PREFIX + n) for n in linked.LISTS]
    for cached in COMPILED[:2]:
        assert cached._plans and None not in cached._plans.values()


def test_page_and_audit_row_equal_the_uncached_ones(world, monkeypatch):
    """Is the entry page, and the read it records, the same with every compiled query
    running as plain peewee?"""
    entries, users, clients = world
    entry = entries['SALES']
    make_contractor(actor=users['committee'], entry_ids=[entry.id])

    def read(name):
        response = clients[name].get('/ledger/%d' % entry.id)
        assert response.status_code == 200
        # A CSRF token carries the second it was made in: the only allowed difference.
        text, tokens = CSRF_TOKEN.subn('token', response.text)
        assert tokens >= 2
        event = AuditEvent.head()
        return text, {k: v for k, v in event.__data__.items()
                      if k not in ('seq', 'at', 'prev_hash', 'hash')}

    cached = {name: read(name) for name in ('committee', 'sales', 'two', 'auditor')}
    monkeypatch.setattr(compiled, 'MAX_PLANS', 0)
    for query in COMPILED:
        monkeypatch.setattr(query, '_plans', {})
    uncached = {name: read(name) for name in ('committee', 'sales', 'two', 'auditor')}
    assert all(query._plans == {} for query in COMPILED)
    assert cached == uncached
    assert audit_models.verify().ok
