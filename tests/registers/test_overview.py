"""The registers' index, the linked-records listing for a ledger entry, panels, reminders
and the demo seed."""
import json

from flask import render_template
from playhouse.test_utils import count_queries

from stintranet import panels, seed
from stintranet.auditlog.models import AuditEvent
from stintranet.notifications.models import Notification
from stintranet.registers import services
from stintranet.registers.linked import linked_records
from stintranet.registers.models import (
    Asset,
    CarryOut,
    Contractor,
    Disposal,
    ProvisionRecord,
    PurposeChange,
    SupervisionCheck,
)
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry
from tests.registers.factories import (
    days,
    make_asset,
    make_contractor,
    make_provision,
    make_purpose_change,
    manager_of,
)


def test_index_counts_the_users_scope(client, login_as, departments):
    """Does the index count only the manager's departments' records?"""
    make_asset('SALES')
    make_asset('HR')
    make_asset('HR')
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    page = client.get('/registers/').text
    assert '1 asset registered' in page and '1 unencrypted portable medium' in page
    assert 'Register an asset' in page and 'Register a contractor' not in page


def test_linked_records_of_an_entry(client, login_as, departments):
    """Does an entry's listing show its contractors, provisions, assets and notices?"""
    entry = make_entry('SALES', outsourced=True)
    contractor = make_contractor(name='Kanto Express K.K.', entry_ids=[entry.id])
    record = make_provision(entry, recipient_name='Credit Bureau Inc.')
    asset = make_asset('SALES', tag='PC-SALES-9', kind='pc', entry_ids=[entry.id])
    notice = make_purpose_change(entry)
    other = make_entry('SALES')
    make_provision(other, recipient_name='Unrelated Ltd.')
    login_as('employee', 'auditor', department='AUDIT')
    page = client.get('/registers/entries/%d' % entry.id).text
    for text in ('Kanto Express K.K.', 'Credit Bureau Inc.', 'PC-SALES-9', notice.reference):
        assert text in page
    assert 'Unrelated Ltd.' not in page
    assert contractor and record and asset


def test_for_entry_template_in_constant_queries(app, departments):
    """Can the ledger's page include the listing at a constant cost in queries?"""
    entry = make_entry('SALES', outsourced=True)
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')

    def render():
        with app.test_request_context():
            with count_queries() as counter:
                html = render_template('registers/_for_entry.html',
                                       registers_linked=linked_records(entry, committee))
        return counter.count, html
    none, _html = render()
    assert none == 1  # which registers hold the entry; nothing more when none does
    make_contractor(entry_ids=[entry.id])
    make_provision(entry)
    make_asset('SALES', entry_ids=[entry.id])
    make_purpose_change(entry, effective_on=today_local() - days(1))
    few, _html = render()
    for _n in range(7):
        make_contractor(entry_ids=[entry.id])
        make_provision(entry)
        make_asset('SALES', entry_ids=[entry.id])
        # In effect at once: one notice at a time waits for its date per entry.
        make_purpose_change(entry, effective_on=today_local() - days(1))
    many, html = render()
    assert many == few == 1 + 4 and html.count('registers/contractors/') == 8
    assert 'id="registers-for-entry"' in html


def test_linked_records_hide_what_the_user_may_not_read(app, departments):
    """Does a manager's listing leave out an asset of another department holding the data?"""
    entry = make_entry('SALES')
    make_asset('IT', tag='SRV-IT-1', kind='server', entry_ids=[entry.id])
    make_asset('SALES', tag='USB-SALES-1', entry_ids=[entry.id])
    sales = manager_of('SALES')
    tags = [a.tag for a in linked_records(entry, sales)['assets']]
    assert tags == ['USB-SALES-1']
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    assert len(linked_records(entry, committee)['assets']) == 2


def test_committee_home_panel(client, login_as, departments):
    """Does the committee's home page list expiring agreements and overdue checks?"""
    today = today_local()
    make_contractor(name='Soon Expiring K.K.', agreement_expires_on=today + days(10))
    make_contractor(name='Overdue Check K.K.', next_check_due=today - days(1))
    make_contractor(name='All Fine K.K.')
    user = login_as('employee', 'committee', department='LEGAL')
    home = client.get('/home/panels/registers-contractors').text
    assert 'Contractors needing attention' in home
    assert 'Soon Expiring K.K.' in home and 'Overdue Check K.K.' in home
    assert 'All Fine K.K.' not in home
    with count_queries() as small:
        panels.context_for('registers-contractors', user)
    for n in range(15):
        make_contractor(next_check_due=today - days(n + 2))
    with count_queries() as large:
        panel = panels.context_for('registers-contractors', user)
    assert small.count == large.count == 2
    assert panel['counts']['overdue'] == 16 and len(panel['items']) == 10


def test_employee_home_has_no_register_panel(client, login_as, departments):
    """Does an employee's home page show no register panel?"""
    make_asset('SALES')
    login_as('employee', department='SALES')
    assert 'Unencrypted portable media' not in client.get('/').text
    assert client.get('/home/panels/registers-media').status_code == 404


def test_reminders_go_out_once(runner, departments):
    """Does the daily job notify the committee once per expiring agreement and overdue check,
    and the managers once per overdue return?"""
    today = today_local()
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    manager = manager_of('SALES')
    make_contractor(name='Soon K.K.', agreement_expires_on=today + days(3),
                    next_check_due=today - days(1), actor=committee)
    asset = make_asset('SALES', actor=manager, encrypted=True)
    employee = factories.make_user(department='SALES')
    carry = services.request_carry_out(asset, {
        'requested_by': employee.id, 'out_on': today - days(5),
        'expected_return_on': today - days(1), 'destination': 'Osaka', 'purpose': 'Fair'},
        actor=manager)
    services.decide_carry_out(asset, carry.id, approve=True, actor=manager)
    before = Notification.select().count()
    result = runner.invoke(args=['jobs', 'run', '--today', today.isoformat()])
    assert '3 notifications' in result.output, result.output
    subjects = [n.subject for n in Notification.select().order_by(Notification.id)][before:]
    assert any('expires on' in s for s in subjects)
    assert any('supervision check' in s for s in subjects)
    assert any(asset.tag in s for s in subjects)
    # The registers' two (the yearly management review's reminder is its own).
    assert Notification.select().where(
        (Notification.user == committee.id)
        & ~Notification.subject.startswith('Management review')).count() == 2
    again = runner.invoke(args=['jobs', 'run', '--today', today.isoformat()])
    assert '0 notifications' in again.output


def test_demo_seed_fills_every_register(app):
    """Does the demo seed fill every register, with the cases the demo needs?"""
    seed.seed_demo('Demo-password-for-tests-2026')
    today = today_local()
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    counts = Contractor.flag_counts(committee, today)
    assert counts['total'] >= 3 and counts['expiring'] >= 1 and counts['overdue'] >= 1
    assert SupervisionCheck.select().exists()
    assert ProvisionRecord.select().where(
        ProvisionRecord.keep_until <= today + days(30)).exists()
    assert {r.basis for r in ProvisionRecord.select()} >= {'consent', 'law'}
    usb = Asset.get(Asset.tag == 'USB-SALES-007')
    assert usb.unencrypted_portable
    assert CarryOut.select().where(CarryOut.status == 'returned').exists()
    assert Disposal.select().exists() and Disposal.get().certificate_id
    assert PurposeChange.select().exists()
    assert all(e.action != 'read' for e in AuditEvent.select())
    details = [json.loads(e.details) for e in AuditEvent.select().where(
        AuditEvent.object_type == 'contractor')]
    assert details and all('Fujita' not in json.dumps(d) for d in details)


def test_agreement_expiry_reminder_follows_jobs_run_today(runner, departments):
    """Does ``jobs run --today`` notify the committee from 30 days before an agreement
    expires (not 31), and again once it has expired?"""
    import datetime
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    contractor = make_contractor(actor=committee, agreement_signed_on=datetime.date(2025, 1, 1),
                                 agreement_expires_on=datetime.date(2030, 6, 30),
                                 next_check_due=datetime.date(2031, 1, 1))

    def subjects(day):
        result = runner.invoke(args=['jobs', 'run', '--today', day])
        assert result.exit_code == 0, result.output
        return [n.subject for n in Notification.select().where(
            Notification.user == committee.id).order_by(Notification.id)
            if not n.subject.startswith('Management review')]
    assert subjects('2030-05-30') == []
    assert subjects('2030-05-31') == [
        'The confidentiality agreement of %s expires on 2030-06-30' % contractor.reference]
    assert len(subjects('2030-06-30')) == 1
    assert subjects('2030-07-01')[-1] == (
        'The confidentiality agreement of %s expired on 2030-06-30' % contractor.reference)
