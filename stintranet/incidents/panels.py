"""Home-page panels: open cases by state (with their clocks for managers and auditors);
your own reports."""
from flask_babel import lazy_gettext as _l
from peewee import Case, fn

from .. import panels
from ..auth import roles as R
from ..auth.models import Department
from ..db import utcnow
from ..timezone import today_local
from .models import OPEN_STATUSES, REPORTED, STATUS_LABELS, Incident

CONTENT_ROLES = (R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR)


def open_cases(user):
    """Open cases by state and how many have an overdue clock (one query); for readers
    outside the committee, whose work list holds the clocks, the ten cases with the
    nearest deadline (one more query, the clocks worked out from its rows)."""
    now = utcnow()
    overdue = Case(None, [(Incident.overdue_condition(today_local()), 1)], 0)
    states = (Incident.visible_to(user)
              .select(Incident.status, fn.COUNT(Incident.id), fn.SUM(overdue))
              .where(Incident.status.in_(OPEN_STATUSES))
              .group_by(Incident.status).tuples())
    by_state = {status: 0 for status in OPEN_STATUSES}
    overdue_total = 0
    for status, count, late in states:
        by_state[status] = count
        overdue_total += int(late or 0)
    context = {
        'by_state': [(status, STATUS_LABELS[status], by_state[status])
                     for status in OPEN_STATUSES],
        'total': sum(by_state.values()),
        'awaiting': by_state[REPORTED],
        'overdue': overdue_total,
        'cases': None,
    }
    if not user.has_role(R.COMMITTEE):
        found = list(Incident.listing(user, status='open').select(
            *Incident.clock_columns(), Incident.reference, Incident.summary, Incident.kind,
            Department.id, Department.code))
        clocks = {i.id: i.next_clock(now) for i in found}

        def urgency(incident):
            """Overdue and running clocks by time left, then cases without one, newest first."""
            clock = clocks[incident.id]
            if clock is None:
                return (1, 0, -incident.reported_at.timestamp())
            return (0, clock.remaining.total_seconds(), 0)

        found.sort(key=urgency)
        context.update(cases=found[:10], clocks=clocks)
    return context


def own_reports(user):
    """The person's five latest reports (one query)."""
    return {'reports': list(Incident.own_reports(user).select(
        Incident.id, Incident.reference, Incident.reported_at, Incident.status).limit(5))}


panels.register('incidents-open', 'incidents/_panel_open.html',
                [R.COMMITTEE, R.AUDITOR, R.MANAGER], open_cases, title=_l('Open incidents'))
panels.register('incidents-own', 'incidents/_panel_own.html', CONTENT_ROLES, own_reports,
                title=_l('Your reports'))
