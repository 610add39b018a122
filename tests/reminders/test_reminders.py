"""The daily reminders: each event, e-mail through a real SMTP server, idempotence and
no personal data in any message."""
import datetime
import json

from stintranet import seed
from stintranet.auth.models import User
from stintranet.disclosure.models import DisclosureRequest
from stintranet.incidents.models import Incident
from stintranet.ledger.models import LedgerEntry
from stintranet.notifications.models import Notification, OutboxMessage
from stintranet.pledges import services as pledge_services
from stintranet.reminders import disclosure, incidents, ledger, pledges, training
from stintranet.timezone import today_local
from tests import factories
from tests.disclosure.factories import make_request
from tests.incidents.factories import make_incident
from tests.training.factories import current, make_course

PASSWORD = 'Demo-password-for-tests-2026'


def keys_of(user):
    return {n.key for n in Notification.select().where(Notification.user == user.id)}


def subjects_of(user):
    return [n.subject for n in Notification.select().where(Notification.user == user.id)]


def run_jobs(runner, day):
    result = runner.invoke(args=['jobs', 'run', '--today', day.isoformat()])
    assert result.exit_code == 0, result.output
    return result


def test_new_report_reaches_committee_and_reporters_managers_only(app):
    """Does a new report reach the committee and the reporter's department managers, and not another department's?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    sales = factories.make_user(roles=('employee', 'manager'), manages=('SALES',))
    hr = factories.make_user(roles=('employee', 'manager'), department='HR', manages=('HR',))
    incident = make_incident(department='SALES')
    for _ in range(2):
        incidents.new_reports(today_local())
    key = 'incident:%d:reported' % incident.id
    assert key in keys_of(member) and key in keys_of(sales)
    assert key not in keys_of(hr)
    assert Notification.select().where(Notification.key == key).count() == 2


def test_reportable_case_half_time_and_one_day_left(app):
    """Does the committee hear once that a case is reportable, at half-time and the day before a clock runs out?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident(special_care=True)
    assert incident.reportable
    final = incident.deadlines()['final'].due_on
    start = final - datetime.timedelta(days=30)
    incidents.reportable_and_clocks(start + datetime.timedelta(days=16))
    incidents.reportable_and_clocks(start + datetime.timedelta(days=17))
    incidents.reportable_and_clocks(final - datetime.timedelta(days=1))
    incidents.reportable_and_clocks(final - datetime.timedelta(days=1))
    keys = keys_of(member)
    assert 'incident:%d:reportable' % incident.id in keys
    assert 'incident:%d:final:half-time:%s' % (incident.id, final) in keys
    assert 'incident:%d:final:one-day-left:%s' % (incident.id, final) in keys
    assert len([k for k in keys if k.startswith('incident:%d:final:' % incident.id)]) == 2
    assert all(incident.reference in s for s in subjects_of(member) if 'INC-' in s)


def test_training_due_soon_then_overdue_reaches_the_manager(app):
    """Is the employee reminded 7 days ahead and when overdue, and their manager only when overdue, without the name?"""
    manager = factories.make_user(roles=('employee', 'manager'), manages=('SALES',), name='Mina Boss')
    employee = factories.make_user(name='Rina Staff')
    course = make_course(title='Handling customer data', due_days=30, today=today_local())
    assignment = current(course, employee)
    due = assignment.due_on
    training.training_due(due - datetime.timedelta(days=8))
    assert not keys_of(employee)
    training.training_due(due - datetime.timedelta(days=7))
    assert keys_of(employee) == {'training:%d:due-soon' % assignment.id}
    training.training_due(due + datetime.timedelta(days=1))
    training.training_due(due + datetime.timedelta(days=2))
    assert 'training:%d:overdue' % assignment.id in keys_of(employee)
    notes = [n for n in Notification.select().where(Notification.user == manager.id)
             if n.key == 'training:%d:overdue-department' % assignment.id]
    assert len(notes) == 1
    assert 'Handling customer data' in notes[0].subject
    assert 'Rina' not in notes[0].subject + notes[0].body


def test_new_pledge_version_asks_everyone_who_has_not_signed(app):
    """Does a new pledge version notify every staff member who has not signed it, and nobody twice?"""
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    alice = factories.make_user()
    admin_only = factories.make_user(roles=('admin',), department='IT')
    version = pledge_services.publish_version('Pledge', 'I keep personal data confidential.',
                                              '', committee, 0)
    pledges.pledge_to_sign(today_local())
    pledges.pledge_to_sign(today_local())
    key = 'pledge:%d:sign' % version.id
    assert key in keys_of(alice) and key in keys_of(committee)
    assert key not in keys_of(admin_only)
    assert Notification.select().where(Notification.key == key).count() == 2


def test_ledger_review_due_and_overdue_reach_the_department_managers(app):
    """Do the entry's department managers hear 30 days before the review and once it is overdue?"""
    manager = factories.make_user(roles=('employee', 'manager'), manages=('SALES',))
    other = factories.make_user(roles=('employee', 'manager'), department='HR', manages=('HR',))
    today = today_local()
    entry = LedgerEntry(department=factories.make_department('SALES'), title='Web shop',
                        status='active', next_review_due=today + datetime.timedelta(days=30))
    entry.save()
    ledger.ledger_reviews(today - datetime.timedelta(days=1))
    assert not keys_of(manager)
    ledger.ledger_reviews(today)
    ledger.ledger_reviews(today + datetime.timedelta(days=31))
    ledger.ledger_reviews(today + datetime.timedelta(days=32))
    due = entry.next_review_due.isoformat()
    assert keys_of(manager) == {'ledger:%d:review-due:%s' % (entry.id, due),
                                'ledger:%d:review-overdue:%s' % (entry.id, due)}
    assert not keys_of(other)


def test_request_due_in_three_days_reaches_customer_center_once(app):
    """Does Customer Center staff hear of a request 3 days before its due date, once, without the requester?"""
    req = make_request(name='Hanako Yamada')
    due = DisclosureRequest.get_by_id(req.id).due_on
    disclosure.requests_due(due - datetime.timedelta(days=4))
    assert not Notification.select().where(Notification.key.startswith('disclosure:')).exists()
    disclosure.requests_due(due - datetime.timedelta(days=3))
    disclosure.requests_due(due - datetime.timedelta(days=2))
    notes = list(Notification.select().where(Notification.key == 'disclosure:%d:due-soon' % req.id))
    assert len(notes) == len({n.user_id for n in notes}) >= 1
    assert all(req.reference in n.subject and 'Yamada' not in n.subject for n in notes)


def test_job_sends_mail_through_smtp_once_per_day(app, runner, smtp):
    """Does the daily job send its reminders by SMTP, nothing again on a second run the same day, and on the next day only the day-keyed ones again?"""
    seed.seed_demo(PASSWORD)
    today = today_local()
    run_jobs(runner, today)
    first_keys = {(n.user_id, n.key) for n in Notification.select()}
    sent = len(smtp.messages)
    assert sent > 0
    assert sent == OutboxMessage.select().where(OutboxMessage.status == 'sent').count()
    assert sent == Notification.select().count()
    run_jobs(runner, today)
    assert Notification.select().count() == len(first_keys)
    assert len(smtp.messages) == sent
    tomorrow = today + datetime.timedelta(days=1)
    run_jobs(runner, tomorrow)
    again = [(n.user_id, n.key) for n in Notification.select()
             if (n.user_id, n.key) not in first_keys]
    events_of_day_one = {key.rsplit(':', 1)[0] for _, key in first_keys}
    for _, key in again:
        # a repeat of a day-one event is keyed with the new day
        if key.rsplit(':', 1)[0] in events_of_day_one:
            assert key.endswith(tomorrow.isoformat()), key
    assert any(key.endswith(tomorrow.isoformat()) for _, key in again)
    assert len(smtp.messages) == sent + len(again)


def test_no_personal_data_in_any_message(app, runner, smtp):
    """Do notifications and mails carry no requester's identity, incident narrative or reporter name?"""
    seed.seed_demo(PASSWORD)
    make_request(name='Kazuko Shimizu', requester_email='kazuko@example.net',
                 received_on=today_local() - datetime.timedelta(days=12))
    make_incident(narrative='Ms Fujiwara lost the payroll binder on the Yamanote line.',
                  reporter=User.get(User.email == seed.demo_email('bob')))
    for day in range(3):
        run_jobs(runner, today_local() + datetime.timedelta(days=day * 10))
    texts = [n.subject + '\n' + n.body + '\n' + n.link for n in Notification.select()]
    texts += [m.subject + '\n' + m.body for m in OutboxMessage.select()]
    texts += smtp.texts()
    assert len(smtp.messages) > 5
    forbidden = set()
    for req in DisclosureRequest.select():
        for value in (req.requester_name, req.requester_address, req.requester_email,
                      req.requester_phone, req.proxy_name):
            if value:
                forbidden.add(value)
    for incident in Incident.select():
        forbidden.add(incident.narrative[:40])
        identity = json.loads(incident.reporter_identity or '{}')
        forbidden.update({identity.get('name'), identity.get('email')})
    forbidden.update({'Kazuko Shimizu', 'kazuko@example.net', 'Fujiwara'})
    blob = '\n'.join(texts)
    leaked = [value for value in forbidden if value and value in blob]
    assert not leaked
