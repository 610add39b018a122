"""The ledger's models: scoping, derived values, health checks and services."""
import datetime
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.db import database
from stintranet.ledger import catalogue as C
from stintranet.ledger import services
from stintranet.ledger.models import (
    LedgerEntry,
    LedgerEntryItem,
    LedgerReview,
    LedgerRevision,
    add_months,
)
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import entry_data, make_entry


def test_add_months_keeps_the_day_or_the_month_end():
    """Does a review date 12 months on land on a real calendar day?"""
    assert add_months(datetime.date(2025, 3, 15), 12) == datetime.date(2026, 3, 15)
    assert add_months(datetime.date(2024, 2, 29), 12) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 1, 31), 1) == datetime.date(2025, 2, 28)
    assert add_months(datetime.date(2025, 1, 10), -14) == datetime.date(2023, 11, 10)


@pytest.mark.parametrize('count,band', [(0, 1), (99, 1), (100, 2), (999, 2), (1000, 3),
                                        (9999, 3), (10000, 4), (5_000_000, 4)])
def test_band_for(count, band):
    """Does each head count fall in the right band?"""
    assert C.band_for(count) == band


def test_catalogue_marks_appi_special_care_items():
    """Are the APPI special-care categories, and only those, marked?"""
    for code in ('race', 'creed', 'social_status', 'medical_history', 'criminal_record',
                 'crime_victim', 'disability', 'health'):
        assert code in C.SPECIAL_CARE_CODES
    for code in ('name', 'address', 'my_number', 'bank_account', 'credit_card'):
        assert code not in C.SPECIAL_CARE_CODES
    assert len({i.code for i in C.ITEMS}) == len(C.ITEMS)


def test_countries_start_with_japan_and_exclude_regions():
    """Is Japan first and are groupings like the EU not offered as a country?"""
    codes = [code for code, _name in C.countries()]
    assert codes[0] == 'JP'
    assert 'SG' in codes and 'US' in codes
    assert 'EU' not in codes and 'ZZ' not in codes and 'UN' not in codes


def test_visible_to_scopes_by_role(departments, sales_entry, hr_entry):
    """Who sees which entries: committee and auditors all, managers their own, others none?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='SALES')
    auditor = factories.make_user(roles=('employee', 'auditor'), department='SALES')
    sales = factories.make_user(roles=('employee', 'manager'), department='SALES')
    employee = factories.make_user(roles=('employee',), department='SALES')
    admin = factories.make_user(roles=('admin',), department='IT')
    both = factories.make_user(roles=('employee', 'manager'), department='IT',
                               manages=('SALES', 'HR'))

    def ids(user):
        return {e.id for e in LedgerEntry.visible_to(user)}

    everything = {sales_entry.id, hr_entry.id}
    assert ids(committee) == everything
    assert ids(auditor) == everything
    assert ids(sales) == {sales_entry.id}
    assert ids(both) == everything
    assert ids(employee) == set()
    assert ids(admin) == set()
    assert sales_entry.editable_by(sales) and not hr_entry.editable_by(sales)
    assert not sales_entry.editable_by(committee)


def test_special_care_follows_items_unless_overridden(departments):
    """Does the flag follow the items, and does an override with a reason win?"""
    plain = make_entry(items=['name', 'address'])
    health = make_entry(items=['name', 'health'])
    forced = make_entry(items=['name'], special_care_override='yes',
                        special_care_reason='Notes may mention illness.')
    cleared = make_entry(items=['name', 'health'], special_care_override='no',
                         special_care_reason='Only a yes/no flag of attendance.')
    assert (plain.special_care, health.special_care) == (False, True)
    assert (forced.special_care, cleared.special_care) == (True, False)
    assert LedgerEntry.get_by_id(health.id).special_care is True


def test_create_writes_entry_items_revision_review_and_audit(departments):
    """Does creating an entry write all of its rows together?"""
    entry = make_entry(items=['name', 'email'], free_items=['Order notes'])
    rows = {(r.code, r.label) for r in
            LedgerEntryItem.select().where(LedgerEntryItem.entry == entry.id)}
    assert rows == {('name', ''), ('email', ''), ('', 'Order notes')}
    revision = LedgerRevision.get(LedgerRevision.entry == entry.id)
    assert revision.version == 1 and revision.action == 'create'
    assert revision.change_map['title'] == [None, entry.title]
    assert LedgerReview.get(LedgerReview.entry == entry.id).kind == 'created'
    event = AuditEvent.get((AuditEvent.action == 'create')
                           & (AuditEvent.object_type == 'ledger_entry'))
    assert event.object_id == str(entry.id)
    assert entry.next_review_due == add_months(today_local(), 12)


def test_update_records_old_and_new_and_moves_the_review(departments):
    """Does an edit keep a revision with old -> new values and count as a review?"""
    entry = make_entry(last_reviewed_on=datetime.date(2024, 1, 10),
                       next_review_due=datetime.date(2025, 1, 10))
    actor = factories.make_user(roles=('employee', 'manager'), department='SALES')
    data = entry_data(entry.department, actor, title='Renamed process',
                      storage_location='New server db02.', items=['name'])
    entry, changes = services.update_entry(entry, data, expected_version=1, actor=actor)
    assert entry.version == 2
    assert changes['title'] == [changes['title'][0], 'Renamed process']
    assert changes['storage_location'][1] == 'New server db02.'
    assert changes['items'] == [['address', 'email', 'name'], ['name']]
    assert entry.last_reviewed_on == today_local()
    revision = LedgerRevision.get((LedgerRevision.entry == entry.id)
                                  & (LedgerRevision.version == 2))
    assert revision.actor_id == actor.id
    assert 'storage_location' in revision.field_names
    event = AuditEvent.select().where(AuditEvent.action == 'update').get()
    details = json.loads(event.details)
    assert 'storage_location' in details['fields']
    assert 'New server' not in event.details  # names only, never the encrypted values


def test_stale_update_raises_and_changes_nothing(departments):
    """Does a save based on an old version fail instead of overwriting?"""
    entry = make_entry()
    actor = factories.make_user(roles=('employee', 'manager'), department='SALES')
    services.update_entry(entry, entry_data(entry.department, actor, title='First'),
                          expected_version=1, actor=actor)
    with pytest.raises(services.StaleEntry) as info:
        services.update_entry(entry, entry_data(entry.department, actor, title='Second'),
                              expected_version=1, actor=actor)
    assert info.value.entry.version == 2
    assert LedgerEntry.get_by_id(entry.id).title == 'First'
    assert LedgerRevision.select().where(LedgerRevision.entry == entry.id).count() == 2


def test_revision_and_audit_roll_back_with_a_failed_change(departments, monkeypatch):
    """If the audit row cannot be written, is the change itself undone?"""
    entry = make_entry()
    actor = factories.make_user(roles=('employee', 'manager'), department='SALES')

    def broken(*args, **kwargs):
        raise RuntimeError('audit log unavailable')

    monkeypatch.setattr(services.auditlog, 'record', broken)
    with pytest.raises(RuntimeError):
        services.update_entry(entry, entry_data(entry.department, actor, title='Lost'),
                              expected_version=1, actor=actor)
    assert LedgerEntry.get_by_id(entry.id).title != 'Lost'
    assert LedgerRevision.select().where(LedgerRevision.entry == entry.id).count() == 1


def test_encrypted_fields_are_not_stored_in_clear(departments):
    """Are the storage location, access rights, foreign note, security details and
    revision changes unreadable in the database?"""
    entry = make_entry(storage_location='Cabinet S-7 in room 1204',
                       access_persons='Only Mr Secret-Keeper',
                       storage_country='SG', foreign_note='PDPA regime note',
                       security_details='Vault combination policy')
    cursor = database.execute_sql('SELECT storage_location, access_persons, foreign_note, '
                                  'security_details FROM ledger_entry WHERE id = %d' % entry.id)
    raw = b''.join(bytes(v) for v in cursor.fetchone())
    for secret in (b'Cabinet S-7', b'Secret-Keeper', b'PDPA regime', b'Vault combination'):
        assert secret not in raw
    cursor = database.execute_sql('SELECT changes FROM ledger_revision WHERE entry_id = %d'
                                  % entry.id)
    assert b'Cabinet S-7' not in bytes(cursor.fetchone()[0])
    assert LedgerEntry.get_by_id(entry.id).storage_location == 'Cabinet S-7 in room 1204'


def test_health_problems(departments):
    """Does the health check find each kind of problem, without decrypting?"""
    today = today_local()
    manager = factories.make_user(roles=('employee', 'committee'), department='SALES')
    healthy = make_entry()
    overdue = make_entry(last_reviewed_on=add_months(today, -13),
                         next_review_due=add_months(today, -1))
    abroad = make_entry(storage_country='US', foreign_note='', status='draft')
    override = make_entry(special_care_override='yes', special_care_reason='', status='draft')
    incomplete = make_entry(status='draft', purposes='', storage_location='', items=[])
    retired = make_entry(status='draft', purposes='')
    services.retire_entry(retired, expected_version=1, actor=manager, reason='Ended.')

    found = {e.id: dict(e.problems(today)) for e in
             LedgerEntry.attach_items(list(LedgerEntry.unhealthy(manager, today)))}
    assert healthy.id not in found and retired.id not in found
    assert 'overdue' in found[overdue.id]
    assert 'foreign_note' in found[abroad.id]
    assert 'override_reason' in found[override.id]
    assert set(found[incomplete.id]['missing']) == {'items', 'purposes', 'storage_location'}
    counts = LedgerEntry.health_counts(manager, today)
    assert counts['total'] == 5
    assert (counts['overdue'], counts['foreign_note'], counts['override_reason']) == (1, 1, 1)
    assert counts['missing'] == 1 and counts['unhealthy'] == 4
    only_overdue = list(LedgerEntry.unhealthy(manager, today, 'overdue'))
    assert [e.id for e in only_overdue] == [overdue.id]


def test_search_filters_and_sorts(departments, sales_entry):
    """Do the list filters narrow the entries, and does sorting follow the column?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='SALES')
    b = make_entry('HR', title='Applicants', category='applicant', items=['name', 'health'],
                   storage_country='SG', foreign_note='PDPA.', medium='paper')
    c = make_entry('IT', title='Zebra logs', category='employee', outsourced=True,
                   outsourcing_note='Log vendor.')

    def titles(**filters):
        return [e.title for e in LedgerEntry.search(committee, **filters)]

    assert titles(q='zebra') == ['Zebra logs']
    assert titles(q=b.reference) == ['Applicants']
    assert titles(department_id=b.department_id) == ['Applicants']
    assert titles(category='employee') == ['Zebra logs']
    assert titles(special_care=True) == ['Applicants']
    assert titles(storage='abroad') == ['Applicants']
    assert titles(medium='paper') == ['Applicants']
    assert titles(item='health') == ['Applicants']
    assert titles(outsourced=True) == ['Zebra logs']
    assert titles(sort='title')[0] == 'Applicants'
    assert titles(sort='-title')[0] == 'Zebra logs'
    assert c.title in titles(status='active')
