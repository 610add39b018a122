"""Data for the home-page tests: the demo organisation, and ``grow`` to add many more of
everything the work lists and panels read, so that query counts can be compared."""
import datetime

from stintranet import seed
from stintranet.auth.models import User
from stintranet.corrective.models import CorrectiveAction
from stintranet.db import utcnow
from stintranet.ledger.models import LedgerEntry, LedgerReview
from stintranet.notifications.models import OutboxMessage
from stintranet.pledges import services as pledge_services
from stintranet.pledges.models import PledgeVersion
from stintranet.registers import services as register_services
from stintranet.timezone import local_date_to_utc, today_local
from tests import factories
from tests.audits.factories import add_finding, answer_all, make_inspection, raise_action, start
from tests.disclosure.factories import make_request
from tests.incidents.factories import make_action, make_incident
from tests.inquiries.factories import make_inquiry
from tests.registers.factories import make_asset, make_contractor
from tests.serverarea.factories import enter, make_area
from tests.training.factories import make_course

PASSWORD = 'Demo-password-for-tests-2026'

# The demo accounts whose home pages the tests read.
ROLES = ('chair', 'manager.sales', 'auditor', 'cc', 'alice', 'admin')


def demo_user(local):
    return User.get(User.email == seed.demo_email(local))


def sign_in(client, local):
    response = client.post('/login', data={'email': seed.demo_email(local),
                                           'password': PASSWORD})
    assert response.status_code == 302, response.text


def grow(n=12):
    """``n`` more of every kind of work-list item and of what every panel counts."""
    today = today_local()
    day = datetime.timedelta(days=1)
    manager, auditor = demo_user('manager.sales'), demo_user('auditor')
    owners = [demo_user(local) for local in ('chair', 'manager.sales', 'auditor', 'cc', 'alice')]
    sales = factories.make_department('SALES')
    cc = demo_user('cc')
    room = make_area('SALES', name='Sales server room')
    people = [factories.make_user(department=code) for code in ('SALES', 'HR', 'IT') * 4]
    for i in range(n):
        person = people[i % len(people)]
        # A reportable case whose clocks run from i days ago, and a report awaiting triage.
        case = make_incident(person, status='triage', special_care=True,
                             aware_at=utcnow() - i * day)
        make_incident(person, summary='New report %d' % i)
        for owner in owners:
            make_action(case, owner, title='Action %d' % i, due_in_days=i - 6)
        done = make_action(case, person, title='Done %d' % i, status='done')
        CorrectiveAction.update(done_at=utcnow() - i * day).where(
            CorrectiveAction.id == done.id).execute()
        # SALES entries due for review, each with a review awaiting the committee.
        entry = LedgerEntry(department=sales, title='Process %d' % i, status='active',
                            next_review_due=today + (i * 5 - 20) * day)
        entry.save()
        LedgerReview.create(entry=entry, reviewed_on=today - i * day, reviewer=manager,
                            kind='confirmed', next_review_due=today + 365 * day)
        make_request(name='Requester %d' % i)
        asset = make_asset('SALES', tag='USB-SALES-MORE-%d' % i, encrypted=True)
        make_asset('HR', tag='USB-HR-MORE-%d' % i)
        register_services.request_carry_out(asset, {
            'requested_by': person.id,
            'out_on': today + (i - 3) * day, 'expected_return_on': today + (i + 2) * day,
            'destination': 'Osaka %d' % i, 'purpose': 'Meeting'}, actor=person)
        make_contractor(agreement_expires_on=today + (i + 1) * day)
        make_inquiry(cc, subject='Question %d' % i, received=today - i * day)
        enter(room, visitor=('Visitor %d' % i, 'Vendor K.K.'),
              now=local_date_to_utc(today) - (i + 1) * day)
        OutboxMessage.create(to_address='x%d@example.com' % i, subject='Reminder %d' % i,
                             body='Body', status=OutboxMessage.FAILED, attempts=5)
    for code in ('SALES', 'HR'):
        inspection = make_inspection(lead=auditor, departments=(code, 'IT'))
        start(inspection)
        answer_all(inspection, results={'media_encrypted': 'major'}, results_for=code)
        finding = add_finding(inspection, department=code)
        action = raise_action(finding, people[0], auditor)
        CorrectiveAction.update(status='done', done_at=utcnow()).where(
            CorrectiveAction.id == action.id).execute()
    for i in range(n):
        make_inspection(lead=auditor, departments=('HR',), title='Planned %d' % i)
    make_course(title='Extra course', today=today - 40 * day)
    make_course(title='Another course', today=today - 2 * day)
    current = PledgeVersion.current()
    pledge_services.publish_version('Pledge', 'A new text.', '', None,
                                    current.number if current else 0)
