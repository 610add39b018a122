"""Corrective actions' part of the daily job: owners hear of actions due and overdue."""
import datetime

from flask_babel import lazy_gettext as _l

from ..auth.models import User
from ..jobs import task
from ..languages import lazy_date
from ..notifications.services import link_to, notify
from .models import OPEN_STATUSES, CorrectiveAction

DUE_SOON_DAYS = 3


@task('corrective-action-reminders', before=('mail-delivery',))
def remind_actions(today):
    """Owners hear of an action due within three days, and once it is overdue."""
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    actions = list(CorrectiveAction.select(CorrectiveAction, User)
                   .join(User, on=(CorrectiveAction.owner == User.id))
                   .where(CorrectiveAction.status.in_(OPEN_STATUSES)
                          & (CorrectiveAction.due_on <= soon))
                   .order_by(CorrectiveAction.due_on, CorrectiveAction.id))
    sent = 0
    for action in actions:
        state = 'overdue' if action.due_on < today else 'due-soon'
        subject = (_l('Corrective action overdue since %(day)s', day=lazy_date(action.due_on))
                   if state == 'overdue' else
                   _l('Corrective action due on %(day)s', day=lazy_date(action.due_on)))
        sent += len(notify([action.owner], 'corrective:%d:%s' % (action.id, state), subject,
                           link=link_to('corrective.action', action_id=action.id)))
    return '%d notifications' % sent
