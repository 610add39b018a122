"""Audits' part of the daily job: the inspection team hears of a planned inspection
coming up or late."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..jobs import task
from ..languages import lazy_date
from ..notifications.services import link_to, notify
from .models import IN_PROGRESS, PLANNED, Inspection, InspectionMember

NOTICE_DAYS = 7


@task('inspection-reminders', before=('mail-delivery',))
def remind_inspections(today):
    """The lead and the team hear a week before a planned inspection, and once when
    its date has passed without it being started, or it has run a month unreported.

    The keys name the inspection and the reminder, so a second run notifies nobody.
    """
    soon = today + datetime.timedelta(days=NOTICE_DAYS)
    overdue_report = today - datetime.timedelta(days=30)
    cases = list(Inspection.select().where(
        ((Inspection.status == PLANNED) & (Inspection.planned_on <= soon))
        | ((Inspection.status == IN_PROGRESS) & (Inspection.performed_on < overdue_report))))
    if not cases:
        return '0 notifications'
    people = {}
    for row in (InspectionMember.select(InspectionMember, User)
                .join(User, on=(InspectionMember.user == User.id))
                .where(InspectionMember.inspection.in_([c.id for c in cases]))):
        people.setdefault(row.inspection_id, []).append(row.user)
    leads = {u.id: u for u in User.select().where(User.id.in_([c.lead_id for c in cases]))}
    sent = 0
    for inspection in cases:
        if inspection.status == PLANNED and inspection.planned_on >= today:
            key, subject = 'upcoming', _l('Inspection %(ref)s planned on %(day)s',
                                          ref=inspection.reference,
                                          day=lazy_date(inspection.planned_on))
        elif inspection.status == PLANNED:
            key, subject = 'not-started', _l(
                'Inspection %(ref)s was planned on %(day)s and has not started',
                ref=inspection.reference, day=lazy_date(inspection.planned_on))
        else:
            key, subject = 'report-due', _l('Inspection %(ref)s: the report is still to be '
                                            'issued', ref=inspection.reference)
        team = [leads.get(inspection.lead_id)] + people.get(inspection.id, [])
        sent += len(notify(team, 'inspection:%d:%s' % (inspection.id, key), subject,
                           link=link_to('audits.inspection', inspection_id=inspection.id)))
    return '%d notifications' % sent
