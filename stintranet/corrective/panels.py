"""Home-page panels: your open actions; overdue actions for the committee and auditors."""
from ..auth import roles as R
from ..dashboard import panels
from ..timezone import today_local
from .models import CorrectiveAction


def own_actions(user, reads):
    today = today_local()
    actions = reads.rows(CorrectiveAction.open_for_owner(user).limit(10))
    return lambda: {'actions': actions.value, 'today': today}


def overdue_actions(user, reads):
    today = today_local()
    query = CorrectiveAction.overdue(today)
    actions, total = reads.rows(query.limit(10)), reads.count(query)
    return lambda: {'actions': actions.value, 'total': total.value, 'today': today}


panels.register(300, 'corrective-own', 'corrective/_panel_own.html',
                [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR],
                context=own_actions)
panels.register(310, 'corrective-overdue', 'corrective/_panel_overdue.html',
                [R.COMMITTEE, R.AUDITOR], context=overdue_actions)
