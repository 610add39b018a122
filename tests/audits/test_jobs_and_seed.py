"""The daily reminders with `jobs run --today`, and the demo seed."""
import datetime

from stintranet import seed
from stintranet.audits.models import ChecklistAnswer, Finding, Inspection
from stintranet.corrective.models import CorrectiveAction
from stintranet.notifications.models import Notification
from tests.audits.factories import make_auditor, make_inspection, start

D = datetime.date


def reminders(user):
    return sorted(n.subject for n in Notification.select().where(Notification.user == user.id))


def test_reminders_a_week_before_and_when_late(app, runner, departments, auditor):
    """Does the team hear a week ahead, once, and again once the date passed unstarted?"""
    colleague = make_auditor(name='Ken Mori')
    inspection = make_inspection(lead=auditor, team=[colleague], planned_in_days=0)
    Inspection.update(planned_on=D(2026, 5, 20)).where(
        Inspection.id == inspection.id).execute()
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-12'])
    assert result.exit_code == 0, result.output
    assert 'inspection-reminders: 0 notifications' in result.output
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-13'])
    assert 'inspection-reminders: 2 notifications' in result.output
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-14'])
    assert 'inspection-reminders: 0 notifications' in result.output
    result = runner.invoke(args=['jobs', 'run', '--today', '2026-05-21'])
    assert 'inspection-reminders: 2 notifications' in result.output
    assert reminders(colleague) == [
        'Inspection %s planned on 2026-05-20' % inspection.reference,
        'Inspection %s was planned on 2026-05-20 and has not started' % inspection.reference]


def test_report_reminder_a_month_after_the_fieldwork(app, runner, departments, auditor):
    """Is the lead reminded once when the report is still missing 30 days after the date?"""
    inspection = make_inspection(lead=auditor)
    start(inspection)
    Inspection.update(performed_on=D(2026, 3, 1)).where(
        Inspection.id == inspection.id).execute()
    assert '0 notifications' in runner.invoke(
        args=['jobs', 'run', '--today', '2026-03-31']).output.split('inspection-reminders:')[1]
    assert '1 notifications' in runner.invoke(
        args=['jobs', 'run', '--today', '2026-04-01']).output.split('inspection-reminders:')[1]
    assert '0 notifications' in runner.invoke(
        args=['jobs', 'run', '--today', '2026-04-02']).output.split('inspection-reminders:')[1]


def test_demo_seed_has_an_inspection_with_findings(app):
    """Does the demo seed hold a reported SALES inspection by auditor@ with findings and an
    action owned by manager.sales, and a planned one?"""
    context = seed.seed_demo('Demo-password-for-tests-2026')
    reported = Inspection.get(Inspection.status == 'reported')
    assert reported.lead_id == context['users']['auditor'].id
    assert reported.department_ids() == [context['departments']['SALES'].id]
    assert ChecklistAnswer.unanswered(reported) == 0
    findings = list(Finding.select().where(Finding.inspection == reported.id))
    assert {f.severity for f in findings} == {'major', 'minor', 'observation'}
    action = CorrectiveAction.get(CorrectiveAction.source_type == 'finding')
    assert action.owner_id == context['users']['manager.sales'].id
    assert Inspection.select().where(Inspection.status == 'planned').count() == 1

