"""The demo incidents and the daily reminders."""
import datetime

from stintranet import seed
from stintranet.incidents.models import STATUSES, Incident
from stintranet.notifications.models import Notification
from stintranet.timezone import today_local
from tests import factories
from tests.incidents.factories import make_action, make_incident


def test_demo_seed_has_every_state_a_running_and_an_overdue_clock(app):
    """Does the demo organisation hold a case in every state, one reportable clock running and one overdue?"""
    seed.seed_demo('Demo-password-for-tests-2026')
    cases = list(Incident.select())
    assert {c.status for c in cases} == set(STATUSES)
    running = [c for c in cases if c.is_open and c.reportable and c.clocks()
               and not c.is_overdue()]
    overdue = [c for c in cases if c.is_overdue()]
    assert running and overdue
    assert Incident.select().where(Incident.overdue_condition(today_local())).count() == \
        len(overdue)


def test_clock_reminders_are_sent_once_a_day(app, runner):
    """Does the daily job tell the committee of an overdue clock, once per day?"""
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident(special_care=True)
    Incident.update(aware_at=incident.aware_at - datetime.timedelta(days=9)).where(
        Incident.id == incident.id).execute()
    today = today_local().isoformat()
    for _ in range(2):
        result = runner.invoke(args=['jobs', 'run', '--today', today])
        assert result.exit_code == 0, result.output
    notes = list(Notification.select().where(Notification.user == member.id)
                 .where(Notification.subject.contains('OVERDUE')))
    assert notes and len({n.key for n in notes}) == len(notes)
    assert all(incident.reference in n.subject for n in notes)
    assert incident.narrative not in ''.join(n.subject + n.body for n in notes)


def test_action_owners_are_reminded(app, runner):
    """Does the owner of an overdue action get one reminder?"""
    owner = factories.make_user()
    make_action(make_incident(), owner, due_in_days=-2)
    for _ in range(2):
        assert runner.invoke(args=['jobs', 'run']).exit_code == 0
    assert Notification.select().where((Notification.user == owner.id)
                                       & Notification.subject.contains('overdue')).count() == 1
