"""Home-page panels: open cases with their clocks; your own reports."""
from peewee import Case, fn

from ..auth import roles as R
from ..dashboard import panels
from ..db import utcnow
from ..timezone import today_local
from .models import OPEN_STATUSES, REPORTED, STATUS_LABELS, Incident


def open_cases(user):
    """Open cases by state, the nearest PPC deadline first (2 queries whatever the number).

    Overdue clocks come first, then the running ones by time left, then cases
    without a clock, most recent first.
    """
    now = utcnow()
    cases = list(Incident.listing(user, status='open'))
    clocks = {i.id: i.next_clock(now) for i in cases}

    def urgency(incident):
        clock = clocks[incident.id]
        if clock is None:
            return (1, 0, -incident.reported_at.timestamp())
        return (0, clock.remaining.total_seconds(), 0)

    cases.sort(key=urgency)
    overdue = Case(None, [(Incident.overdue_condition(today_local()), 1)], 0)
    rows = (Incident.visible_to(user)
            .select(Incident.status, fn.COUNT(Incident.id), fn.SUM(overdue))
            .where(Incident.status.in_(OPEN_STATUSES))
            .group_by(Incident.status).tuples())
    by_state = {status: 0 for status in OPEN_STATUSES}
    overdue_total = 0
    for status, count, late in rows:
        by_state[status] = count
        overdue_total += int(late or 0)
    return {
        'cases': cases[:10],
        'clocks': clocks,
        'total': len(cases),
        'by_state': [(status, STATUS_LABELS[status], by_state[status])
                     for status in OPEN_STATUSES],
        'awaiting': by_state[REPORTED],
        'overdue': overdue_total,
        'now': now,
    }


def own_reports(user):
    return {'reports': list(Incident.own_reports(user).limit(5))}


panels.register(100, 'incidents-open', 'incidents/_panel_open.html',
                [R.COMMITTEE, R.AUDITOR, R.MANAGER], context=open_cases)
panels.register(110, 'incidents-own', 'incidents/_panel_own.html',
                [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR],
                context=own_reports)
