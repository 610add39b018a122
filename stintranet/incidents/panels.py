"""Home-page panels: open cases with their clocks; your own reports."""
from peewee import Case, fn

from ..auth import roles as R
from ..auth.models import Department
from ..dashboard import panels
from ..db import utcnow
from ..timezone import today_local
from .models import OPEN_STATUSES, REPORTED, STATUS_LABELS, Incident


# What ``Incident.next_clock`` reads. The panels read only the columns they show and
# the clocks need, not the ~50 of an incident (six of them encrypted): the 90 open
# cases at full scale took ~1 ms more to compile and build whole.
_CLOCK_COLUMNS = (Incident.id, Incident.status, Incident.reported_at, Incident.reportable,
                  Incident.aware_at, Incident.wrongful_purpose, Incident.preliminary_sent_on,
                  Incident.final_sent_on, Incident.notice_sent_on, Incident.announcement_on)


def open_cases(user, reads):
    """Open cases by state, the nearest PPC deadline first (two reads whatever the number).

    Overdue clocks come first, then the running ones by time left, then cases
    without a clock, most recent first.
    """
    now = utcnow()
    overdue = Case(None, [(Incident.overdue_condition(today_local()), 1)], 0)
    cases = reads.rows(Incident.listing(user, status='open').select(
        *_CLOCK_COLUMNS, Incident.reference, Incident.summary, Incident.kind,
        Department.id, Department.code))
    states = reads.rows(Incident.visible_to(user)
                        .select(Incident.status, fn.COUNT(Incident.id), fn.SUM(overdue))
                        .where(Incident.status.in_(OPEN_STATUSES))
                        .group_by(Incident.status).tuples())

    def build():
        found = list(cases.value)
        clocks = {i.id: i.next_clock(now) for i in found}

        def urgency(incident):
            clock = clocks[incident.id]
            if clock is None:
                return (1, 0, -incident.reported_at.timestamp())
            return (0, clock.remaining.total_seconds(), 0)

        found.sort(key=urgency)
        by_state = {status: 0 for status in OPEN_STATUSES}
        overdue_total = 0
        for status, count, late in states.value:
            by_state[status] = count
            overdue_total += int(late or 0)
        return {
            'cases': found[:10],
            'clocks': clocks,
            'total': len(found),
            'by_state': [(status, STATUS_LABELS[status], by_state[status])
                         for status in OPEN_STATUSES],
            'awaiting': by_state[REPORTED],
            'overdue': overdue_total,
            'now': now,
        }
    return build


def own_reports(user, reads):
    reports = reads.rows(Incident.own_reports(user).select(
        Incident.id, Incident.reference, Incident.reported_at, Incident.status).limit(5))
    return lambda: {'reports': reports.value}


panels.register(100, 'incidents-open', 'incidents/_panel_open.html',
                [R.COMMITTEE, R.AUDITOR, R.MANAGER], context=open_cases)
panels.register(110, 'incidents-own', 'incidents/_panel_own.html',
                [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR],
                context=own_reports)
