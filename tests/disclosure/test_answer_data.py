"""The Customer Center answers every request type: for a notification of the purpose of
use and a disclosure of third-party provision records, the request page shows the linked
entries' purposes and provision records, read-only and audit-logged, while the ledger and
the provision register stay closed to it."""
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.models import DisclosureProvisionPick
from tests import factories
from tests.disclosure.factories import cc_user, make_request
from tests.ledger.factories import make_entry
from tests.registers.factories import make_provision

HX = {'HX-Request': 'true'}


@pytest.fixture
def cc(client):
    user = cc_user()
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302
    return user


def linked_request(cc, types, *entries, state='in_progress'):
    req = make_request(state, types=types, actor=cc)
    for entry in entries:
        services.link_entry(req.id, cc, entry.id)
    return req


def reads(view):
    return [json.loads(e.details) for e in AuditEvent.select().where(
        (AuditEvent.action == 'read') & (AuditEvent.object_type == 'disclosure_request'))
        if json.loads(e.details).get('view') == view]


def test_purposes_of_the_linked_entries(client, cc):
    """Does the Customer Center read the linked entries' purposes in the request page
    (htmx fragment and plain page), with the read audit-logged, and is /ledger/ still
    403?"""
    entry = make_entry('SALES', title='Customer orders', purposes='Delivering orders.')
    other = make_entry('HR', title='Payroll', purposes='Paying salaries.')
    req = linked_request(cc, [C.PURPOSE_NOTIFICATION], entry)
    page = client.get('/requests/%d' % req.id).text
    assert 'Show the purposes of the linked entries' in page
    assert 'Delivering orders.' not in page
    fragment = client.get('/requests/%d/purposes' % req.id, headers=HX)
    assert fragment.status_code == 200 and '<html' not in fragment.text
    assert 'Delivering orders.' in fragment.text and 'Paying salaries' not in fragment.text
    assert 'HX-Request' in fragment.headers['Vary']
    plain = client.get('/requests/%d/purposes' % req.id)
    assert '<html' in plain.text and 'Delivering orders.' in plain.text
    logged = reads('purposes')
    assert len(logged) == 2 and logged[0]['ledger_entries'] == [entry.id]
    assert client.get('/ledger/').status_code == 403
    assert client.get('/ledger/%d' % other.id).status_code == 403


def test_provision_records_picked_for_the_requester(client, cc):
    """Does the Customer Center see the linked entries' provision records, mark the ones
    concerning the requester (htmx, audit-logged) and read their contents, while
    /registers/provisions/ stays 403?"""
    entry = make_entry('SALES', title='Customer orders')
    mine = make_provision(entry, recipient_name='Furniture Maker K.K.',
                          recipient_address='4-5-6 Osaka')
    theirs = make_provision(entry, recipient_name='Other Recipient Co.')
    unlinked = make_provision(make_entry('SALES', title='Other process'),
                              recipient_name='Never Shown Inc.')
    req = linked_request(cc, [C.THIRD_PARTY_RECORDS], entry)
    fragment = client.get('/requests/%d/provisions' % req.id, headers=HX).text
    assert 'Furniture Maker K.K.' in fragment and 'Other Recipient Co.' in fragment
    assert 'Never Shown Inc.' not in fragment
    assert 'No record is marked' in fragment
    response = client.post('/requests/%d/provisions/%d/pick' % (req.id, mine.id), headers=HX)
    assert response.status_code == 200 and response.headers['HX-Trigger'] == 'requests-changed'
    assert 'Records concerning the requester' in response.text
    assert '4-5-6 Osaka' in response.text
    assert [p.record_id for p in DisclosureProvisionPick.select()] == [mine.id]
    picked = AuditEvent.get(AuditEvent.action == 'pick')
    assert json.loads(picked.details) == {'provision_record': mine.id}
    assert sorted(reads('provisions')[-1]['provision_records']) == sorted([mine.id, theirs.id])

    refused = client.post('/requests/%d/provisions/%d/pick' % (req.id, unlinked.id),
                          headers=HX)
    assert refused.status_code == 422 and 'provision record of a linked' in refused.text
    plain = client.post('/requests/%d/provisions/%d/unpick' % (req.id, mine.id))
    assert plain.status_code == 303
    assert not DisclosureProvisionPick.select().exists()
    assert client.get('/registers/provisions/').status_code == 403
    assert client.get('/registers/provisions/%d' % mine.id).status_code == 403


def test_panels_only_for_their_request_types(client, cc):
    """Are the panels offered only for their request types (else 404)?"""
    req = linked_request(cc, [C.DISCLOSURE], make_entry('SALES'))
    page = client.get('/requests/%d' % req.id).text
    assert 'Show the purposes' not in page and 'Show the provision records' not in page
    assert client.get('/requests/%d/purposes' % req.id).status_code == 404
    assert client.get('/requests/%d/provisions' % req.id).status_code == 404
    both = linked_request(cc, [C.PURPOSE_NOTIFICATION, C.THIRD_PARTY_RECORDS])
    page = client.get('/requests/%d' % both.id).text
    assert 'Show the purposes' in page and 'Show the provision records' in page


def test_committee_reads_but_does_not_pick(client, login_as, app):
    """May the committee read the panels but not mark records (403), and a closed request
    not be changed (409)?"""
    cc = cc_user()
    entry = make_entry('SALES')
    record = make_provision(entry)
    req = linked_request(cc, [C.THIRD_PARTY_RECORDS], entry)
    login_as('employee', 'committee', department='LEGAL')
    page = client.get('/requests/%d/provisions' % req.id, headers=HX)
    assert page.status_code == 200 and record.reference in page.text
    assert '>Mark<' not in page.text
    assert client.post('/requests/%d/provisions/%d/pick' % (req.id, record.id),
                       headers=HX).status_code == 403
    done = make_request('completed', types=[C.THIRD_PARTY_RECORDS], actor=cc)
    client.post('/logout')
    client.post('/login', data={'email': cc.email, 'password': factories.PASSWORD})
    closed = client.post('/requests/%d/provisions/%d/pick' % (done.id, record.id), headers=HX)
    assert closed.status_code == 409


@pytest.mark.parametrize('roles', [('employee',), ('employee', 'manager'), ('auditor',),
                                   ('admin',)])
def test_others_cannot_read_the_panels(client, login_as, roles):
    """Are the panels closed to everyone but the Customer Center and the committee?"""
    cc = cc_user()
    req = linked_request(cc, [C.PURPOSE_NOTIFICATION, C.THIRD_PARTY_RECORDS],
                         make_entry('SALES'))
    login_as(*roles, department='SALES')
    assert client.get('/requests/%d/purposes' % req.id).status_code == 403
    assert client.get('/requests/%d/provisions' % req.id).status_code == 403


def test_panels_are_constant_in_queries(client, cc):
    """Do the panels cost the same queries for 1 and 8 linked entries with records?"""
    req = linked_request(cc, [C.PURPOSE_NOTIFICATION, C.THIRD_PARTY_RECORDS])

    def add(n):
        for _i in range(n):
            entry = make_entry('SALES')
            make_provision(entry)
            services.link_entry(req.id, cc, entry.id)

    def count():
        found = []
        for path in ('/requests/%d/purposes', '/requests/%d/provisions'):
            with count_queries() as counter:
                assert client.get(path % req.id, headers=HX).status_code == 200
            found.append(counter.count)
        return found
    add(1)
    few = count()
    add(7)
    assert count() == few
