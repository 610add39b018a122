"""Carry-outs as people work: an employee asks, another manager of the department (or the
committee) decides, a carry-out approved for a later day goes out on that day."""
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.auth.models import User
from stintranet.dashboard import worklist
from stintranet.db import utcnow
from stintranet.notifications.models import Notification
from stintranet.registers import services
from stintranet.registers.models import Asset, CarryOut
from stintranet.timezone import today_local
from tests import factories
from tests.registers.factories import days, make_asset, manager_of

AWAITS = 'awaits your approval'


def sign_in(client, user):
    client.post('/logout')
    response = client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert response.status_code == 302


def request_form(target, **overrides):
    today = today_local()
    data = {'asset': str(target.id), 'out_on': today.isoformat(),
            'expected_return_on': (today + days(2)).isoformat(),
            'destination': 'Customer office, Osaka', 'purpose': 'Order review meeting'}
    data.update(overrides)
    return data


def ask(asset, requester, out_in=0, back_in=2, actor=None, **extra):
    today = today_local()
    data = {'requested_by': requester.id, 'out_on': today + days(out_in),
            'expected_return_on': today + days(back_in), 'destination': 'Osaka',
            'purpose': 'Fair'}
    data.update(extra)
    return services.request_carry_out(asset, data, actor=actor or requester)


def awaiting_notices(user=None):
    query = Notification.select().where(Notification.subject.contains(AWAITS))
    if user is not None:
        query = query.where(Notification.user == user.id)
    return query.count()


@pytest.fixture
def sales(departments):
    """A SALES manager and an encrypted SALES laptop."""
    manager = manager_of('SALES')
    laptop = make_asset('SALES', actor=manager, kind='pc', tag='PC-SALES-1', encrypted=True)
    return manager, laptop


def test_employee_asks_for_a_carry_out_of_their_department(client, login_as, sales):
    """Can an employee ask to carry out an asset of their department themselves (no
    longer 403), and is the request theirs, awaiting a manager?"""
    manager, laptop = sales
    bob = login_as('employee', department='SALES')
    page = client.get('/registers/carry-outs/new')
    assert page.status_code == 200 and 'PC-SALES-1' in page.text
    assert 'label for="asset"' in page.text
    response = client.post('/registers/carry-outs/new', data=request_form(laptop))
    assert response.status_code == 303, response.text
    carry = CarryOut.get()
    assert (carry.requested_by_id, carry.recorded_by_id) == (bob.id, bob.id)
    assert carry.status == 'requested' and carry.approver == 'manager'
    listing = client.get(response.headers['Location']).text
    assert 'PC-SALES-1' in listing and 'Awaiting approval' in listing
    assert 'another manager of SALES decides' in listing
    # Bob still cannot open the registers themselves.
    assert client.get('/registers/assets/%d' % laptop.id).status_code == 403


def test_employee_cannot_ask_for_another_departments_asset(client, login_as, departments):
    """Is an asset of another department (or one already busy) refused with a 422?"""
    hr_disk = make_asset('HR', encrypted=True, kind='external_disk')
    login_as('employee', department='SALES')
    assert 'USB-HR' not in client.get('/registers/carry-outs/new').text
    response = client.post('/registers/carry-outs/new',
                           data=request_form(hr_disk, destination='Keep me'))
    assert response.status_code == 422
    assert 'Choose a device or medium of your department' in response.text
    assert 'Keep me' in response.text and not CarryOut.select().exists()


@pytest.mark.parametrize('overrides,message', [
    ({'asset': ''}, 'Choose what you take out'),
    ({'destination': ''}, 'required'),
    ({'out_on': '2001-01-01'}, 'choose today or a later day'),
    ({'out_on': 'soon'}, 'YYYY-MM-DD'),
    ({'expected_return_on': '2001-01-01'}, 'cannot come back before'),
])
def test_bad_request_input_is_422(client, login_as, sales, overrides, message):
    """Does each bad value get a clear message and a 422, the input kept?"""
    _manager, laptop = sales
    login_as('employee', department='SALES')
    data = request_form(laptop, purpose='Keep this purpose', **overrides)
    response = client.post('/registers/carry-outs/new', data=data)
    assert response.status_code == 422 and message in response.text
    assert 'Keep this purpose' in response.text and not CarryOut.select().exists()


def test_unencrypted_media_need_a_reason_and_the_committee(client, login_as, departments):
    """Does an unencrypted USB stick need the requester's reason (422 without), go to
    the committee, and may only a committee member approve it (the manager gets 409)?"""
    manager = manager_of('SALES')
    usb = make_asset('SALES', actor=manager)
    bob = login_as('employee', department='SALES')
    response = client.post('/registers/carry-outs/new', data=request_form(usb))
    assert response.status_code == 422 and 'is not encrypted' in response.text
    response = client.post('/registers/carry-outs/new', data=request_form(
        usb, exception_reason='The booth scanner writes only to this stick.'))
    assert response.status_code == 303
    carry = CarryOut.get()
    assert carry.approver == 'committee' and 'booth scanner' in carry.exception_reason
    with pytest.raises(services.Refused):
        services.request_carry_out(make_asset('SALES', actor=manager), {
            'requested_by': bob.id, 'out_on': today_local(),
            'expected_return_on': today_local(), 'destination': 'x', 'purpose': 'y'},
            actor=bob)

    sign_in(client, manager)
    url = '/registers/assets/%d/carry-outs/%d/approve' % (usb.id, carry.id)
    page = client.get('/registers/assets/%d' % usb.id).text
    assert 'This request went to the Protection Committee' in page
    assert 'Approve the' not in page
    refused = client.post(url, data={'note': ''})
    assert refused.status_code == 409 and 'only a committee member' in refused.text

    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    sign_in(client, committee)
    page = client.get('/registers/assets/%d' % usb.id).text
    assert 'Approve the exception and the carry-out' in page and 'booth scanner' in page
    response = client.post(url, data={'note': 'Wiped the same evening'})
    assert response.status_code == 303
    carry = CarryOut.get_by_id(carry.id)
    assert carry.status == 'out' and carry.decided_by_id == committee.id
    event = AuditEvent.get(AuditEvent.action == 'carry_out_approve')
    assert json.loads(event.details)['exception'] is True


def test_the_only_manager_asking_goes_to_the_committee(client, login_as, departments):
    """When the requester is the department's only manager, or no manager is active, does
    the request go to the committee (and not to them)?"""
    only = login_as('employee', 'manager', department='SALES', manages=('SALES',))
    laptop = make_asset('SALES', actor=only, kind='pc', encrypted=True)
    response = client.post('/registers/carry-outs/new', data=request_form(laptop))
    assert response.status_code == 303
    assert CarryOut.get().approver == 'committee'
    assert 'the Protection Committee decides' in client.get('/registers/carry-outs/').text

    hr_disk = make_asset('HR', encrypted=True, kind='external_disk')
    for manager in User.select().where(User.department == hr_disk.department_id):
        User.update(active=False).where(User.id == manager.id).execute()
    carol = factories.make_user(department='HR')
    assert ask(hr_disk, carol).approver == 'committee'


def test_another_manager_decides(client, sales):
    """Does a request by a manager for themselves go to another manager of the
    department, who alone (with the department's managers) may decide?"""
    manager, laptop = sales
    other = manager_of('SALES')
    carry = ask(laptop, manager)
    assert carry.approver == 'manager'
    assert carry.may_be_decided_by(other, laptop.department_id)
    assert not carry.may_be_decided_by(manager, laptop.department_id)
    hr = manager_of('HR')
    assert not carry.may_be_decided_by(hr, laptop.department_id)
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    assert not carry.may_be_decided_by(committee, laptop.department_id)
    with pytest.raises(services.Refused):
        services.decide_carry_out(laptop, carry.id, approve=True, actor=committee)


def test_future_carry_out_is_approved_then_out_on_its_day(client, runner, login_as, sales):
    """Is a carry-out approved for a later day "approved" (the asset still in the office,
    no return form), and does the daily job make it "out" on that day, once?"""
    manager, laptop = sales
    bob = factories.make_user(department='SALES')
    today = today_local()
    carry = ask(laptop, bob, out_in=3, back_in=5)
    sign_in(client, manager)
    url = '/registers/assets/%d/carry-outs/%d/approve' % (laptop.id, carry.id)
    response = client.post(url, data={'note': ''}, follow_redirects=True)
    assert 'goes out on %s' % (today + days(3)).isoformat() in response.text
    assert CarryOut.get_by_id(carry.id).status == 'approved'
    assert Asset.get_by_id(laptop.id).state == 'in_service'
    page = client.get('/registers/assets/%d' % laptop.id).text
    assert 'Approved, not out yet' in page and 'Record the return' not in page
    assert 'Carried out' not in page

    early = runner.invoke(args=['jobs', 'run', '--today', (today + days(2)).isoformat()])
    assert '0 carry-outs out' in early.output, early.output
    assert CarryOut.get_by_id(carry.id).status == 'approved'
    result = runner.invoke(args=['jobs', 'run', '--today', (today + days(3)).isoformat()])
    assert '1 carry-outs out' in result.output, result.output
    assert CarryOut.get_by_id(carry.id).status == 'out'
    assert CarryOut.get_by_id(carry.id).went_out_at is not None
    assert Asset.get_by_id(laptop.id).state == 'out'
    assert AuditEvent.select().where(AuditEvent.action == 'carry_out_out').count() == 1
    again = runner.invoke(args=['jobs', 'run', '--today', (today + days(3)).isoformat()])
    assert '0 carry-outs out' in again.output
    assert AuditEvent.select().where(AuditEvent.action == 'carry_out_out').count() == 1


def test_return_form_accepts_its_default_date(client, sales):
    """Once out, is the return recorded with the form's default date (today)?"""
    manager, laptop = sales
    carry = ask(laptop, factories.make_user(department='SALES'))
    services.decide_carry_out(laptop, carry.id, approve=True, actor=manager)
    sign_in(client, manager)
    page = client.get('/registers/assets/%d' % laptop.id).text
    assert 'value="%s"' % today_local().isoformat() in page
    response = client.post('/registers/assets/%d/carry-outs/%d/return' % (laptop.id, carry.id),
                           data={'returned_on': today_local().isoformat(), 'note': ''})
    assert response.status_code == 303
    assert CarryOut.get_by_id(carry.id).status == 'returned'


def test_one_awaits_your_approval_per_carry_out(app, runner, departments):
    """Does each approver hear once of a request (none for the requester, none more from
    the daily job), the committee once when it takes the request over, and the requester
    once of the decision?"""
    first, second = manager_of('SALES'), manager_of('SALES')
    both = factories.make_user(roles=('employee', 'manager', 'committee'), department='SALES',
                               manages=('SALES',))
    laptop = make_asset('SALES', actor=first, kind='pc', encrypted=True)
    bob = factories.make_user(department='SALES')
    with app.test_request_context():
        carry = ask(laptop, bob)
    assert awaiting_notices(bob) == 0
    assert [awaiting_notices(u) for u in (first, second, both)] == [1, 1, 1]
    runner.invoke(args=['jobs', 'run'])
    assert awaiting_notices() == 3

    # The managers leave: the job sends the request to the committee, which hears once.
    for manager in (first, second, both):
        User.update(active=False).where(User.id == manager.id).execute()
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    result = runner.invoke(args=['jobs', 'run'])
    assert '1 requests sent to the committee' in result.output, result.output
    assert CarryOut.get_by_id(carry.id).approver == 'committee'
    assert awaiting_notices(committee) == 1
    runner.invoke(args=['jobs', 'run'])
    assert awaiting_notices(committee) == 1

    services.decide_carry_out(laptop, carry.id, approve=True, actor=committee)
    decided = Notification.select().where(Notification.user == bob.id)
    assert [n.subject for n in decided] == ['Your carry-out of %s was approved' % laptop.tag]


def test_work_lists_follow_the_routing(app, departments):
    """Does the manager's work list hold the department's requests for managers, the
    committee's those sent to the committee, and nobody's their own?"""
    manager = manager_of('SALES')
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    bob = factories.make_user(department='SALES')
    laptop = make_asset('SALES', actor=manager, kind='pc', tag='PC-SALES-9', encrypted=True)
    usb = make_asset('SALES', actor=manager, tag='USB-SALES-9')
    ask(laptop, bob)
    ask(usb, bob, exception_reason='Only this one fits the projector.')
    mine = ask(make_asset('SALES', actor=manager, kind='pc', tag='PC-SALES-8',
                          encrypted=True), manager)
    assert mine.approver == 'committee'
    now = utcnow()
    with app.test_request_context():
        for user, expected in ((manager, {'PC-SALES-9'}),
                               (committee, {'USB-SALES-9', 'PC-SALES-8'}),
                               (bob, set())):
            found = worklist.for_user(user, today_local(), now)
            assert {i.reference for i in found.items if i.kind.name == 'carry-out'} == \
                expected, user.name
    with app.test_request_context():
        counts = worklist.for_user(committee, today_local(), now).counts
        link = [c.url for c in counts if c.kind.name == 'carry-out']
    assert link == ['/registers/carry-outs/?show=awaiting']


def test_approver_sees_what_awaits_them(client, sales):
    """Does "awaiting my decision" list the department's requests for its manager, with a
    link to decide, and is a bad view a 422?"""
    manager, laptop = sales
    ask(laptop, factories.make_user(department='SALES'))
    sign_in(client, manager)
    page = client.get('/registers/carry-outs/')
    assert '1 request awaits your decision' in page.text
    awaiting = client.get('/registers/carry-outs/?show=awaiting')
    assert 'PC-SALES-1' in awaiting.text and '>Decide<' in awaiting.text
    rows = client.get('/registers/carry-outs/?show=awaiting', headers={'HX-Request': 'true'})
    assert '<html' not in rows.text and 'id="registers-carry-out-rows"' in rows.text
    assert client.get('/registers/carry-outs/?show=everything').status_code == 422
    export = client.get('/registers/carry-outs/export.csv?show=awaiting')
    assert export.status_code == 200 and 'PC-SALES-1' in export.text
    assert client.get('/registers/carry-outs/export.csv?show=bad').status_code == 422


def test_requester_cancels_before_it_goes_out(client, login_as, sales):
    """May the requester cancel a request (htmx: the rows and an event), not one that is
    out (409), and is someone else's a 404?"""
    manager, laptop = sales
    bob = login_as('employee', department='SALES')
    carry = ask(laptop, bob)
    response = client.post('/registers/carry-outs/%d/cancel' % carry.id,
                           headers={'HX-Request': 'true'})
    assert response.status_code == 200 and 'was cancelled' in response.text
    assert response.headers['HX-Trigger'] == 'registers-carry-out-changed'
    assert CarryOut.get_by_id(carry.id).status == 'cancelled'
    assert Asset.get_by_id(laptop.id).state == 'in_service'

    again = ask(laptop, bob)
    services.decide_carry_out(laptop, again.id, approve=True, actor=manager)
    late = client.post('/registers/carry-outs/%d/cancel' % again.id)
    assert late.status_code == 303
    assert CarryOut.get_by_id(again.id).status == 'out'
    late = client.post('/registers/carry-outs/%d/cancel' % again.id,
                       headers={'HX-Request': 'true'})
    assert late.status_code == 409 and 'no longer' in late.text

    sign_in(client, factories.make_user(department='SALES'))
    assert client.post('/registers/carry-outs/%d/cancel' % again.id).status_code == 404


@pytest.mark.parametrize('roles,status', [
    (('employee',), 200), (('employee', 'manager'), 200), (('committee',), 200),
    (('auditor',), 200), (('customer_center',), 200), (('admin',), 403),
])
def test_who_opens_the_carry_out_pages(client, login_as, departments, roles, status):
    """Does every role but the administrator open the carry-out pages?"""
    login_as(*roles, department='SALES')
    assert client.get('/registers/carry-outs/').status_code == status
    assert client.get('/registers/carry-outs/new').status_code == status


def test_carry_out_list_constant_queries(client, sales):
    """Does the list cost the same queries for 2 and 20 requests?"""
    manager, _laptop = sales
    sign_in(client, manager)

    def populate(n):
        for _i in range(n):
            asset = make_asset('SALES', actor=manager, kind='pc', encrypted=True)
            ask(asset, manager, actor=manager)

    def count():
        with count_queries() as counter:
            assert client.get('/registers/carry-outs/').status_code == 200
        return counter.count
    populate(2)
    few = count()
    populate(18)
    assert count() == few
