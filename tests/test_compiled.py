"""CompiledQuery: SQL text compiled once per shape, rows exactly as peewee builds them."""
import datetime
import logging

import pytest
from peewee import JOIN, SQL
from playhouse.test_utils import count_queries

from stintranet import compiled
from stintranet.auditlog.models import AuditEvent
from stintranet.auth.models import Department, User
from stintranet.compiled import CompiledQuery
from stintranet.db import database
from stintranet.ledger.models import LedgerEntry
from tests import factories
from tests.ledger.factories import make_entry


class Counting:
    """A builder that counts its calls (each call is a compile or an uncached run)."""

    def __init__(self, build):
        self.build, self.calls = build, 0

    def __call__(self, shape, *args):
        self.calls += 1
        return self.build(shape, *args)


def users_of_department(_shape, code):
    return (User.select(User, Department).join(Department, on=(User.department == Department.id))
            .where(Department.code == code).order_by(User.id))


@pytest.fixture
def people(app):
    return {code: [factories.make_user(department=code) for _n in range(n)]
            for code, n in (('SALES', 2), ('HR', 3))}


def test_rows_equal_the_uncached_query_and_compile_once(people):
    """Are the rows (joined models included) those of plain peewee, for any argument
    value, with one compile and one statement per call?"""
    build = Counting(users_of_department)
    query = CompiledQuery('users of a department', build)
    for code in ('SALES', 'HR', 'SALES', 'NONE'):
        with count_queries() as counter:
            rows = query.rows(None, code)
        assert counter.count == 1
        expected = list(users_of_department(None, code))
        assert [r.__data__ for r in rows] == [r.__data__ for r in expected]
        assert [r.department.__data__ for r in rows] == [r.department.__data__ for r in expected]
    assert [r.id for r in query.rows(None, 'HR')] == [u.id for u in people['HR']]
    assert build.calls == 1
    plan = query.plan(None, 'HR')
    sql, params = users_of_department(None, 'HR').sql()
    assert plan.sql == sql and params == ['HR']


def departments_with_users(_shape, code):
    return (Department.select(Department, User)
            .join(User, JOIN.LEFT_OUTER, on=(User.department == Department.id))
            .where(Department.code == code).order_by(User.id))


def test_column_setup_kept_from_the_first_run_builds_the_same_rows(people):
    """Once the wrapper's column set-up is kept, are rows (an outer join's missing
    side included) still those of plain peewee?"""
    factories.make_department('EMPTY')
    query = CompiledQuery('departments with users', departments_with_users)

    def shown(rows):
        return [(d.__data__, d.user.__data__ if getattr(d, 'user', None) else None,
                 d._dirty) for d in rows]
    for code in ('HR', 'EMPTY', 'SALES', 'NONE', 'EMPTY'):
        assert shown(query.rows(None, code)) == shown(departments_with_users(None, code))
        assert query.plan(None, code).columns is not None
    assert [d.user for d in query.rows(None, 'EMPTY')] == [None]


def test_first_adds_limit_one_and_returns_none_when_nothing_matches(people):
    query = CompiledQuery('first user of a department', users_of_department)
    assert query.first(None, 'HR').id == people['HR'][0].id
    assert query.first(None, 'NONE') is None
    param = database.obj.param
    assert query.plan(None, 'HR', method='first').sql.endswith('LIMIT ' + param)


def test_tuples_and_converted_values(people):
    """Do ``.tuples()`` rows and a converted parameter (a foreign key) work?"""
    hr = Department.get(Department.code == 'HR')
    query = CompiledQuery('user emails', lambda _shape, department_id: (
        User.select(User.email).where(User.department == department_id)
        .order_by(User.id).tuples()))
    assert query.rows(None, hr.id) == [(u.email,) for u in people['HR']]
    (index, converter), = query.plan(None, hr.id).sources
    assert index == 0 and converter is not None  # the foreign key's db_value


def test_the_shape_and_the_number_of_arguments_are_part_of_the_key(people):
    """Does each shape, and each length of an IN list, get its own text?"""
    def build(shape, *ids):
        query = User.select().order_by(User.id)
        return query if shape == 'all' else query.where(User.id.in_(list(ids)))
    counting = Counting(build)
    query = CompiledQuery('users by id', counting)
    sales, hr = people['SALES'], people['HR']
    assert [u.id for u in query.rows('some', sales[0].id)] == [sales[0].id]
    assert [u.id for u in query.rows('some', hr[0].id, hr[2].id)] == [hr[0].id, hr[2].id]
    assert [u.id for u in query.rows('some', hr[1].id)] == [hr[1].id]
    assert len(query.rows('all')) == 5
    assert counting.calls == 3


@pytest.mark.parametrize('build, reason', [
    (lambda _shape, user_id: User.select().where(User.id == user_id + 0),
     'is not an argument'),
    (lambda _shape, user_id: User.select().where((User.id == user_id) & (User.name != '')),
     'is not an argument'),
    (lambda _shape, user_id: User.select().where(SQL('"t1"."id" = %d' % user_id)),
     'written into the SQL text'),
])
def test_a_query_breaking_the_rules_runs_uncached(people, caplog, build, reason):
    """Is a derived parameter, a constant parameter or an argument written into the text
    refused, with a warning, and the query still answered correctly by plain peewee?"""
    counting = Counting(build)
    query = CompiledQuery('bad', counting)
    user = people['HR'][1]
    with caplog.at_level(logging.WARNING, logger='stintranet.compiled'):
        assert [u.id for u in query.rows(None, user.id)] == [user.id]
    assert reason in caplog.text
    assert query.plan(None, user.id) is None
    assert [u.id for u in query.rows(None, people['SALES'][0].id)] == [people['SALES'][0].id]
    assert counting.calls == 3  # the refused compile, then each call built anew


def test_unsupported_argument_types_run_uncached_and_are_not_stored(people):
    counting = Counting(lambda _shape, value: User.select().where(User.active == value))
    query = CompiledQuery('by flag', counting)
    assert len(query.rows(None, True)) == 5
    assert query.rows(None, None) == []
    assert query._plans == {} and counting.calls == 2


def test_plans_are_capped(people, monkeypatch):
    """Beyond MAX_PLANS keys (an unbounded shape), queries run uncached."""
    monkeypatch.setattr(compiled, 'MAX_PLANS', 2)
    query = CompiledQuery('capped', lambda shape, user_id: User.select().where(User.id == user_id))
    user = people['SALES'][0]
    for shape in range(4):
        assert query.first(shape, user.id).id == user.id
    assert len(query._plans) == 2


def test_execute_runs_a_compiled_write(app):
    """Does ``execute`` insert the row ``Model.insert`` would, converters included?"""
    names = AuditEvent._meta.sorted_field_names
    query = CompiledQuery('insert an event', lambda _shape, *values: (
        AuditEvent.insert(dict(zip(names, values)))))
    at = datetime.datetime(2026, 4, 1, 9, 30, 0, 123456)
    head = AuditEvent.head_link()
    seq = head[0] + 1 if head else 1
    values = {'seq': seq, 'at': at, 'actor_id': 7, 'actor_email': 'a@st-group.example',
              'action': 'read', 'object_type': 'ledger_entry', 'object_id': '42',
              'details': '{}', 'ip': '127.0.0.1', 'prev_hash': '0' * 64, 'hash': 'f' * 64}
    with database.atomic():
        assert query.execute(None, *[values[n] for n in names]) is None
    assert query.plan(None, *[values[n] for n in names], method='execute') is not None
    assert AuditEvent.get_by_id(seq).__data__ == values


def test_entry_scope_builder_follows_the_rules(app):
    """Are the entry page's queries cacheable for every scope (none refused)?"""
    entry = make_entry('SALES')
    manager = factories.make_user(roles=('employee', 'manager'), department='HR',
                                  manages=('HR', 'SALES'))
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    clerk = factories.make_user(department='HR')
    from stintranet.ledger import models
    for user in (manager, committee, clerk):
        scope, ids = LedgerEntry.scope_of(user)
        assert models._PAGE_ENTRY.plan((scope, len(ids)), entry.id, *ids,
                                       method='first') is not None
