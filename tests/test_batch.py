"""Reads: several queries in one statement, rows built by peewee as if each had run."""
import datetime

import pytest
from peewee import fn
from playhouse.test_utils import count_queries

from stintranet.auth.models import Department, User
from stintranet.batch import Reads
from stintranet.incidents.models import Incident
from stintranet.ledger.models import LedgerEntry
from tests import factories
from tests.incidents.factories import make_incident


@pytest.fixture
def incidents(app):
    bob = factories.make_user(department='SALES', name='Bob')
    carol = factories.make_user(department='HR', name='Carol')
    made = [make_incident(bob, narrative='First narrative, with "quotes" and 日本語'),
            make_incident(carol, narrative='Second', estimated_persons=1001),
            make_incident(bob, narrative='Third')]
    return made


def test_everything_comes_back_from_one_statement(incidents):
    """Are joined models, tuples, dicts, counts and scalars read in a single query?"""
    chair = factories.make_user(roles=('committee',), department='SALES')
    ordered = Incident.listing(chair).order_by(Incident.id.desc())
    reads = Reads()
    rows = reads.rows(ordered.limit(2))
    total = reads.count(ordered.limit(2))
    pairs = reads.rows(Department.select(Department.code, fn.COUNT(User.id).alias('n'))
                       .join(User, on=(User.department == Department.id))
                       .group_by(Department.code).order_by(Department.code).tuples())
    dicts = reads.rows(Department.select(Department.code).order_by(Department.code.desc())
                       .dicts())
    newest = reads.first(Incident.select().order_by(Incident.reported_at.desc(),
                                                    Incident.id.desc()))
    biggest = reads.scalar(Incident.select(fn.MAX(Incident.estimated_persons)))
    with count_queries() as counter:
        reads.run()
    assert counter.count == 1

    assert [i.id for i in rows.value] == [incidents[2].id, incidents[1].id]
    assert rows.value[1].department.code == 'HR'        # joined model, no lazy query
    assert total.value == 3                             # limit and order ignored
    assert pairs.value == [('HR', 1), ('SALES', 2)]     # plus the chair in SALES
    assert dicts.value == [{'code': 'SALES'}, {'code': 'HR'}]
    assert newest.value.id == incidents[2].id
    assert biggest.value == 1001


def test_rows_are_typed_and_decrypt_like_a_normal_query(incidents):
    """Do dates, datetimes, booleans and encrypted fields equal a normal query's?"""
    reads = Reads()
    batched = reads.rows(Incident.select().order_by(Incident.id))
    reads.run()
    with count_queries() as counter:
        normal = list(Incident.select().order_by(Incident.id))
        for got, expected in zip(batched.value, normal):
            assert got.__data__.keys() == expected.__data__.keys()
            assert got.narrative == expected.narrative
            assert got.reporter_identity == expected.reporter_identity
            assert got.reported_at == expected.reported_at
            assert isinstance(got.reported_at, datetime.datetime)
            assert isinstance(got.reporter_name_shown, bool)
            assert got.reporter_name_shown is expected.reporter_name_shown
    assert counter.count == 1  # only the normal query; decryption reads nothing
    assert batched.value[0].narrative == 'First narrative, with "quotes" and 日本語'


def test_dates_and_nulls(app):
    """Are DATE columns and NULLs returned as a normal query returns them?"""
    sales = factories.make_department('SALES')
    due = datetime.date(2027, 2, 28)
    LedgerEntry(department=sales, title='With a date', next_review_due=due).save()
    LedgerEntry(department=sales, title='Without').save()
    reads = Reads()
    entries = reads.rows(LedgerEntry.select().order_by(LedgerEntry.title))
    reads.run()
    assert [(e.title, e.next_review_due) for e in entries.value] == [
        ('With a date', due), ('Without', None)]


def test_empty_results_and_defaults(app):
    reads = Reads()
    rows = reads.rows(Incident.select())
    first = reads.first(Incident.select())
    count = reads.count(Incident.select())
    biggest = reads.scalar(Incident.select(fn.MAX(Incident.estimated_persons)), default=0)
    reads.run()
    assert (rows.value, first.value, count.value, biggest.value) == ([], None, 0, 0)


def test_the_query_itself_is_left_executed(incidents):
    """Can the caller iterate the query afterwards without another round trip?"""
    query = Incident.select().order_by(Incident.id)
    reads = Reads()
    reads.rows(query)
    reads.run()
    with count_queries() as counter:
        assert [i.id for i in query] == [i.id for i in incidents]
    assert counter.count == 0


def test_value_before_run_is_an_error(app):
    reads = Reads()
    handle = reads.count(Incident.select())
    with pytest.raises(RuntimeError):
        handle.value
    with count_queries() as counter:
        Reads().run()  # nothing collected: nothing runs
    assert counter.count == 0


def test_distinct_queries_are_refused(app):
    with pytest.raises(ValueError):
        Reads().rows(Department.select(Department.code).distinct())


def test_a_null_blob_is_none(app):
    """Is a NULL encrypted (blob) field None, as from a normal query, and not b'' (what
    SQLite's hex(NULL) would give)?"""
    sales = factories.make_department('SALES')
    LedgerEntry(department=sales, title='Abroad, with note', foreign_note='Rules.').save()
    LedgerEntry(department=sales, title='Abroad, no note').save()
    reads = Reads()
    entries = reads.rows(LedgerEntry.select().order_by(LedgerEntry.title))
    reads.run()
    normal = list(LedgerEntry.select().order_by(LedgerEntry.title))
    assert entries.value[0].__data__['foreign_note'] is None
    assert [e.has_value('foreign_note') for e in entries.value] == [
        e.has_value('foreign_note') for e in normal] == [False, True]
    assert [e.foreign_note for e in entries.value] == [None, 'Rules.']


def test_a_scalar_subquery_column_keeps_its_name(app):
    """Does a correlated subquery selected with .alias('name') come back as that attribute?"""
    sales = factories.make_department('SALES')
    factories.make_user(department='SALES')
    factories.make_user(department='SALES')
    people = (User.select(fn.COUNT(User.id)).where(User.department == Department.id)
              .alias('people'))
    reads = Reads()
    departments = reads.rows(Department.select(Department, people).order_by(Department.code))
    reads.run()
    assert [(d.id, d.people) for d in departments.value] == [(sales.id, 2)]


def test_unaliased_aggregates_of_a_model_query(incidents):
    """Does a model query selecting an aggregate without an alias come back as it runs?"""
    def by_department():
        return (Incident.select(Incident.department, fn.COUNT(Incident.id))
                .group_by(Incident.department).order_by(Incident.department).tuples())
    reads = Reads()
    batched = reads.rows(by_department())
    reads.run()
    assert batched.value == list(by_department())
    assert sorted(n for _, n in batched.value) == [1, 2]
