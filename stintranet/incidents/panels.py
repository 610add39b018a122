"""Home-page panels: open cases with their clocks; your own reports."""
from ..auth import roles as R
from ..dashboard import panels
from ..db import utcnow
from ..timezone import today_local
from .models import OPEN_STATUSES, REPORTED, Incident


def open_cases(user):
    """Open cases the user may review, most recent first, with their clocks (4 queries)."""
    now = utcnow()
    query = Incident.listing(user, status='open')
    cases = list(query.limit(10))
    visible = Incident.visible_to(user).where(Incident.status.in_(OPEN_STATUSES))
    return {
        'cases': cases,
        'clocks': {i.id: i.next_clock(now) for i in cases},
        'total': visible.count(),
        'awaiting': Incident.visible_to(user).where(Incident.status == REPORTED).count(),
        'overdue': Incident.visible_to(user).where(
            Incident.overdue_condition(today_local())).count(),
        'now': now,
    }


def own_reports(user):
    return {'reports': list(Incident.own_reports(user).limit(5))}


panels.register(100, 'incidents-open', 'incidents/_panel_open.html',
                [R.COMMITTEE, R.AUDITOR, R.MANAGER], context=open_cases)
panels.register(110, 'incidents-own', 'incidents/_panel_own.html',
                [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR],
                context=own_reports)
