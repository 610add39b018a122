"""Daily reminders: report clocks due or overdue, corrective actions due or overdue."""
import datetime

from .. import jobs
from ..auth.models import User
from ..corrective.models import OPEN_STATUSES as ACTION_OPEN, CorrectiveAction
from ..notifications.services import link_to, notify
from ..timezone import local_date_to_utc
from . import appi
from .models import OPEN_STATUSES, Incident
from .services import committee_members

CLOCK_NAMES = {
    'preliminary_target': 'preliminary report to the PPC (target)',
    'preliminary_max': 'preliminary report to the PPC (latest)',
    'final': 'final report to the PPC',
    'notice': 'notice to the individuals',
}


@jobs.register(200, 'incident clocks')
def remind_clocks(today):
    """Tell the committee and the handler of clocks due by tomorrow or overdue.

    Keys name the case, the clock, the state and the day, so a second run on
    the same day notifies nobody again.
    """
    now = local_date_to_utc(today) + datetime.timedelta(hours=9)
    members = committee_members()
    sent = 0
    cases = (Incident.select().where((Incident.reportable == True)  # noqa: E712
                                     & Incident.status.in_(OPEN_STATUSES)))
    for incident in cases:
        for clock in incident.clocks(now):
            if clock.state not in (appi.DUE_SOON, appi.OVERDUE):
                continue
            word = 'OVERDUE' if clock.state == appi.OVERDUE else 'due'
            subject = '%s: %s %s (by %s)' % (incident.reference, CLOCK_NAMES[clock.deadline.key],
                                            word, clock.deadline.due_on.isoformat())
            handler = [incident.handler] if incident.handler_id else []
            sent += len(notify(members + handler,
                               'incident:%d:%s:%s:%s' % (incident.id, clock.deadline.key,
                                                         clock.state, today.isoformat()),
                               subject, link=link_to('incidents.detail', incident_id=incident.id)))
    return '%d notifications' % sent


@jobs.register(210, 'corrective action reminders')
def remind_actions(today):
    """Owners hear of an action due within three days, and once it is overdue."""
    sent = 0
    soon = today + datetime.timedelta(days=3)
    query = (CorrectiveAction.select(CorrectiveAction, User)
             .join(User, on=(CorrectiveAction.owner == User.id))
             .where(CorrectiveAction.status.in_(ACTION_OPEN)
                    & (CorrectiveAction.due_on <= soon)))
    for action in query:
        state = 'overdue' if action.due_on < today else 'due-soon'
        subject = ('Corrective action overdue since %s' if state == 'overdue'
                   else 'Corrective action due on %s') % action.due_on.isoformat()
        sent += len(notify([action.owner], 'corrective:%d:%s' % (action.id, state), subject,
                           link=link_to('corrective.action', action_id=action.id)))
    return '%d notifications' % sent
