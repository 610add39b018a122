"""The ledger's health counts: the same figures as the entries' own ``problems()``, and
(on SQLite) counted from the index ``ledger_entry_health`` without reading the rows."""
import datetime

import pytest

from stintranet.db import database, is_sqlite
from stintranet.ledger import services
from stintranet.ledger.models import LedgerEntry, add_months
from stintranet.ledger.risk.models import RiskAssessment
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry


@pytest.fixture
def ledger(departments):
    """Entries with every kind of problem, alone and together, in SALES and HR."""
    today = today_local()
    made = [
        make_entry(),                                                    # healthy
        make_entry(last_reviewed_on=add_months(today, -13),
                   next_review_due=add_months(today, -1)),               # overdue
        make_entry(next_review_due=today + datetime.timedelta(days=10)),  # due soon
        make_entry(storage_country='US', foreign_note='', status='draft'),
        make_entry(storage_country='US', foreign_note='EU adequacy decision.'),
        make_entry(special_care_override='yes', special_care_reason='', status='draft'),
        make_entry(special_care_override='no', special_care_reason='Only order numbers.'),
        make_entry(status='draft', purposes='', storage_location='', items=[]),
        make_entry(status='draft', items=[]),                             # no items only
        make_entry(status='draft', title='   '),                          # blank title
        make_entry(status='draft', access_persons='', storage_country='SG', foreign_note='',
                   next_review_due=add_months(today, -2)),                # three at once
        make_entry('HR', status='draft', acquisition_method=''),
        make_entry('HR', last_reviewed_on=add_months(today, -14),
                   next_review_due=add_months(today, -2)),
        make_entry('HR'),
        make_entry(status='draft', minors='yes', guardian_consent=''),   # minors, no consent
        make_entry(minors='yes', guardian_consent='written'),
        make_entry(assessed=False),                                       # no risk assessment
    ]
    stale = make_entry()                                                  # assessed 13 months ago
    RiskAssessment.update(assessed_on=add_months(today, -13)).where(
        RiskAssessment.entry == stale.id).execute()
    nobody = make_entry(status='draft')
    LedgerEntry.update(responsible=None).where(LedgerEntry.id == nobody.id).execute()
    undated = make_entry(status='draft')
    LedgerEntry.update(next_review_due=None).where(LedgerEntry.id == undated.id).execute()
    retired = make_entry(status='draft', purposes='')
    services.retire_entry(retired, expected_version=1, actor=factories.make_user(
        roles=('employee', 'committee')), reason='Ended.')
    return made + [stale, nobody, undated, retired]


def recount(user, today):
    """The counts from each visible entry's ``problems()``, in Python."""
    entries = LedgerEntry.attach_items(
        list(LedgerEntry.visible_to(user).where(LedgerEntry.status != 'retired')))
    counts = dict.fromkeys(('total', 'missing', 'overdue', 'foreign_note', 'override_reason',
                            'minor_consent', 'risk', 'due', 'unhealthy'), 0)
    for entry in entries:
        codes = {code for code, _detail in entry.problems(today)}
        counts['total'] += 1
        for code in codes:
            counts[code] += 1
        counts['due'] += entry.review_state(today) == 'due'
        counts['unhealthy'] += bool(codes)
    return counts


@pytest.mark.parametrize('who', ['committee', 'manager', 'employee'])
def test_counts_equal_the_entries_own_problems(ledger, who):
    """Does each count equal a count of the entries' own ``problems()``?"""
    today = today_local()
    user = {'committee': lambda: factories.make_user(roles=('employee', 'committee')),
            'manager': lambda: factories.make_user(roles=('employee', 'manager'),
                                                   department='SALES'),
            'employee': lambda: factories.make_user(roles=('employee',))}[who]()
    expected = recount(user, today)
    assert LedgerEntry.health_counts(user, today) == expected
    if who == 'committee':
        assert expected == {'total': 20, 'missing': 7, 'overdue': 3, 'foreign_note': 2,
                            'override_reason': 1, 'minor_consent': 1, 'risk': 2, 'due': 1,
                            'unhealthy': 14}
    elif who == 'manager':
        assert expected['total'] == 17 and expected['unhealthy'] == 12
    else:
        assert set(expected.values()) == {0}


def _table_columns_read(sql, params):
    """How many times the statement reads a column of a ledger_entry row (bytecode)."""
    root = database.execute_sql("SELECT rootpage FROM sqlite_master "
                                "WHERE type = 'table' AND name = 'ledger_entry'").fetchone()[0]
    program = database.execute_sql('EXPLAIN ' + sql, params).fetchall()
    cursors = {p1 for _addr, opcode, p1, p2, *_ in program
               if opcode == 'OpenRead' and p2 == root}
    return sum(1 for _addr, opcode, p1, *_ in program if opcode == 'Column' and p1 in cursors)


@pytest.mark.skipif('not __import__("stintranet.db").db.is_sqlite()',
                    reason='the index is SQLite only (migration 0010)')
@pytest.mark.parametrize('who', ['committee', 'manager'])
def test_sqlite_counts_from_the_index_alone(ledger, who):
    """Does the count walk ledger_entry_health and take every row-level problem from it?

    Fails when the model's spelling of a problem (or of the mandatory fields) drifts
    from the index's in migration 0010: SQLite then reads and tests every row again.
    """
    assert is_sqlite()
    roles = ('employee', who)
    user = factories.make_user(roles=roles, department='SALES')
    sql, params = LedgerEntry.health_counts_query(user, today_local()).sql()
    plan = ' | '.join(r[3] for r in database.execute_sql('EXPLAIN QUERY PLAN ' + sql, params))
    assert 'USING INDEX ledger_entry_health' in plan, plan
    assert _table_columns_read(sql, params) == 0
    # The control: the same problems on the rows, as a list query tests them, do read rows.
    listed = LedgerEntry.unhealthy(user, today_local()).select(LedgerEntry.id)
    assert _table_columns_read(*listed.sql()) > 0


@pytest.mark.skipif('not __import__("stintranet.db").db.is_sqlite()',
                    reason='the index is SQLite only (migration 0010)')
@pytest.mark.parametrize('who', ['committee', 'manager'])
def test_sqlite_other_ledger_queries_keep_off_the_index(ledger, who):
    """Do the list, the search and the health list stay off ledger_entry_health?

    Its WHERE is ``+status != 'retired'``: a plain ``status != 'retired'`` would let
    them walk the partial index and fetch every row from the table.
    """
    user = factories.make_user(roles=('employee', who), department='SALES')
    for query in (LedgerEntry.search(user), LedgerEntry.search(user, q='orders'),
                  LedgerEntry.search(user, category='customer', sort='-next_review'),
                  LedgerEntry.list_columns(LedgerEntry.search(user, sort='title')),
                  LedgerEntry.unhealthy(user, today_local())):
        for sql, params in (query.sql(), query.order_by().select(LedgerEntry.id).sql()):
            plan = ' | '.join(r[3] for r in database.execute_sql(
                'EXPLAIN QUERY PLAN ' + sql, params))
            assert 'ledger_entry_health' not in plan, (sql, plan)
