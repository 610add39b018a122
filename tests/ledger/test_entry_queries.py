"""The entry page's queries: a fixed number, whatever the entry's history and links.

The session user (1), the entry with its department, responsible person and which
registers hold it (1), its items (1), revisions (1), reviews (1) and risk assessment with
its risks (1), and the audit row of the read (the chain's head and the insert: 2;
PostgreSQL adds its append lock).
Each register that links the entry adds one query for its records.
"""
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.db import is_sqlite
from stintranet.ledger import services
from stintranet.ledger.models import ENCRYPTED_FIELDS, LedgerEntry
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import entry_data, make_entry
from tests.registers.factories import (
    make_asset,
    make_contractor,
    make_provision,
    make_purpose_change,
)


def page_queries(client, entry):
    with count_queries() as counter:
        response = client.get('/ledger/%d' % entry.id)
    assert response.status_code == 200, response.text[:500]
    return counter.count, response.text


def expected(linked_registers=0):
    return 8 + (0 if is_sqlite() else 1) + linked_registers


def grow(entry, edits, approver):
    """``edits`` more revisions and reviews of ``entry`` (by editing it), approved."""
    responsible = entry.responsible
    for n in range(edits):
        current = LedgerEntry.get_by_id(entry.id)
        data = entry_data(current.department, responsible, purposes='Purposes, edit %d.' % n)
        services.update_entry(current, data, expected_version=current.version,
                              actor=responsible)
    for review in LedgerEntry.get_by_id(entry.id).reviews:
        if review.kind != 'created':
            services.approve_review(review, actor=approver)


@pytest.mark.parametrize('role', ['committee', 'manager'])
def test_entry_page_query_count_is_fixed(client, login_as, role):
    """Does the entry page make the same few queries with 1 or 30 revisions and reviews,
    and 200 other entries?"""
    if role == 'committee':
        login_as('employee', 'committee', department='LEGAL')
    else:
        login_as('employee', 'manager', department='SALES', manages=('SALES',))
    approver = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    entry = make_entry('SALES')
    small, _text = page_queries(client, entry)
    grow(entry, 30, approver)
    for n in range(200):
        make_entry(('SALES', 'HR')[n % 2], title='Other process %03d' % n)
    large, text = page_queries(client, entry)
    assert 'Purposes, edit 29.' in text and 'Approved by' in text
    assert small == large == expected()


def test_linked_registers_cost_one_query_each(client, login_as):
    """Does each register holding the entry add one query, whatever its number of records?"""
    committee = login_as('employee', 'committee', department='LEGAL')
    entry = make_entry('SALES')
    make_contractor(actor=committee, entry_ids=[entry.id])
    make_provision(entry=entry)
    make_asset('SALES', entry_ids=[entry.id])
    # Notices in effect already (one notice at a time waits for its date per entry).
    make_purpose_change(entry=entry, effective_on=today_local())
    one, text = page_queries(client, entry)
    assert 'TP-' in text and 'PN-' in text and 'USB-SALES' in text
    for _n in range(3):
        make_contractor(actor=committee, entry_ids=[entry.id])
        make_provision(entry=entry)
        make_asset('SALES', entry_ids=[entry.id])
        make_purpose_change(entry=entry, effective_on=today_local())
    four, text = page_queries(client, entry)
    assert one == four == expected(linked_registers=4)
    other = make_entry('SALES', title='Linked to one contractor only')
    make_contractor(actor=committee, entry_ids=[other.id])
    assert page_queries(client, other)[0] == expected(linked_registers=1)


def test_entry_page_read_is_recorded_once(client, login_as):
    """Is one read recorded per page view, with the shown encrypted fields' names?"""
    user = login_as('employee', 'committee', department='LEGAL')
    entry = make_entry('SALES')
    before = AuditEvent.select().where(AuditEvent.action == 'read').count()
    page_queries(client, entry)
    reads = list(AuditEvent.select().where(AuditEvent.action == 'read')
                 .order_by(AuditEvent.seq))
    assert len(reads) == before + 1
    details = json.loads(reads[-1].details)
    shown = [name for name in ENCRYPTED_FIELDS if entry.has_value(name)]
    assert 'storage_location' in shown and 'foreign_note' not in shown
    assert details == {'reference': entry.reference, 'view': 'entry',
                       'fields': sorted(shown + ['revision changes'])}
    assert reads[-1].actor_id == user.id and reads[-1].object_id == str(entry.id)
    assert AuditEvent.head().seq == reads[-1].seq
