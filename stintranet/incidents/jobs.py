"""Incidents' part of the daily job: new reports to the reporter's managers, a case
becoming reportable, and the PPC clocks (half-time, the last day, overdue).

Messages carry the reference and a link, never the narrative or the reporter.
"""
import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import lazy_gettext as _l

from ..auth import roles as R
from ..jobs import task
from ..languages import lazy_date
from ..notifications.recipients import holders, managers_by_department
from ..notifications.services import link_to, notify
from ..timezone import local_date_to_utc
from . import appi
from .models import INVESTIGATING, OPEN_STATUSES, Incident, IncidentEvent

# A report filed this many days ago or less still reaches the department's managers
# (the job may not have run every day).
NEW_REPORT_DAYS = 7

CLOCK_NAMES = {
    'preliminary_target': _l('preliminary report to the PPC (target)'),
    'preliminary_max': _l('preliminary report to the PPC (latest)'),
    'final': _l('final report to the PPC'),
    'notice': _l('notice to the individuals'),
}


def _link(incident):
    return link_to('incidents.detail', incident_id=incident.id)


def _open_reportable():
    return list(Incident.select().where((Incident.reportable == True)  # noqa: E712
                                        & Incident.status.in_(OPEN_STATUSES))
                .order_by(Incident.id))


@task('incident-report-reminders', before=('mail-delivery',))
def new_reports(today):
    """The committee and the managers of the reporter's department hear of a new report.

    Filing a report already notifies the committee under the same key, so they are
    not notified twice; the managers hear of it here. A confidential report reaches
    the managers only once the committee has triaged it (``released_to_departments``):
    then, counted from the day its investigation started.
    """
    since = local_date_to_utc(today - datetime.timedelta(days=NEW_REPORT_DAYS))
    triaged = (IncidentEvent.select(IncidentEvent.incident)
               .where((IncidentEvent.to_status == INVESTIGATING) & (IncidentEvent.at >= since)))
    cases = list(Incident.select(Incident.id, Incident.reference, Incident.department,
                                 Incident.reporter_name_shown, Incident.status)
                 .where((Incident.reported_at >= since) | Incident.id.in_(triaged))
                 .order_by(Incident.id))
    if not cases:
        return '0 notifications'
    committee = holders(R.COMMITTEE)
    managers = managers_by_department(c.department_id for c in cases
                                      if c.is_released_to_departments)
    sent = 0
    for incident in cases:
        audience = committee + (managers.get(incident.department_id, [])
                                if incident.is_released_to_departments else [])
        sent += len(notify(audience, 'incident:%d:reported' % incident.id,
                           _l('New incident report %(ref)s', ref=incident.reference),
                           link=_link(incident)))
    return '%d notifications' % sent


@task('incident-reportable-reminders', before=('mail-delivery',))
def reportable_and_clocks(today):
    """The committee hears once that a case is reportable to the PPC, and for each
    running clock once at half-time and once the day before it runs out."""
    cases = _open_reportable()
    if not cases:
        return '0 notifications'
    committee = holders(R.COMMITTEE)
    zone = current_app.config['TIMEZONE']
    now = local_date_to_utc(today)
    sent = 0
    for incident in cases:
        sent += len(notify(committee, 'incident:%d:reportable' % incident.id,
                           _l('%(ref)s is reportable to the PPC', ref=incident.reference),
                           link=_link(incident)))
        start = appi.local_date(incident.aware_at, ZoneInfo(zone))
        for clock in incident.clocks(now):
            if clock.done_on is not None:
                continue
            due_on = clock.deadline.due_on
            name = CLOCK_NAMES[clock.deadline.key]
            half = start + datetime.timedelta(days=(due_on - start).days // 2)
            left = (due_on - today).days
            if left == 1:
                sent += len(notify(committee, 'incident:%d:%s:one-day-left:%s' % (
                    incident.id, clock.deadline.key, due_on.isoformat()),
                    _l('%(ref)s: %(clock)s due tomorrow (%(day)s)', ref=incident.reference,
                       clock=name, day=lazy_date(due_on)),
                    link=_link(incident)))
            elif half <= today and left > 1:
                sent += len(notify(committee, 'incident:%d:%s:half-time:%s' % (
                    incident.id, clock.deadline.key, due_on.isoformat()),
                    _l('%(ref)s: half the time for the %(clock)s has passed (due %(day)s)',
                       ref=incident.reference, clock=name, day=lazy_date(due_on)),
                    link=_link(incident)))
    return '%d notifications' % sent


@task('incident-clock-reminders', before=('mail-delivery',))
def remind_clocks(today):
    """Tell the committee and the handler of clocks due by tomorrow or overdue.

    Keys name the case, the clock, the state and the day, so a second run on
    the same day notifies nobody again.
    """
    now = local_date_to_utc(today) + datetime.timedelta(hours=9)
    cases = _open_reportable()
    if not cases:
        return '0 notifications'
    members = holders(R.COMMITTEE)
    sent = 0
    for incident in cases:
        for clock in incident.clocks(now):
            if clock.state not in (appi.DUE_SOON, appi.OVERDUE):
                continue
            names = dict(ref=incident.reference, clock=CLOCK_NAMES[clock.deadline.key],
                         day=lazy_date(clock.deadline.due_on))
            subject = (_l('%(ref)s: %(clock)s OVERDUE (by %(day)s)', **names)
                       if clock.state == appi.OVERDUE else
                       _l('%(ref)s: %(clock)s due (by %(day)s)', **names))
            handler = [incident.handler] if incident.handler_id else []
            sent += len(notify(members + handler,
                               'incident:%d:%s:%s:%s' % (incident.id, clock.deadline.key,
                                                         clock.state, today.isoformat()),
                               subject, link=_link(incident)))
    return '%d notifications' % sent
