"""Home-page panel: everyone's overdue corrective actions, for the committee and auditors
(each person's own actions are in their work list)."""
from flask_babel import lazy_gettext as _l
from peewee import SQL, fn

from .. import panels
from ..auth import roles as R
from ..timezone import today_local
from .models import CorrectiveAction


def overdue_actions(user):
    """The ten most overdue actions, each row carrying how many there are (one query)."""
    actions = list(CorrectiveAction.overdue(today_local())
                   .select_extend(fn.COUNT(SQL('*')).over().alias('total')).limit(10))
    return {'actions': actions, 'total': actions[0].total if actions else 0}


panels.register('corrective-overdue', 'corrective/_panel_overdue.html',
                [R.COMMITTEE, R.AUDITOR], overdue_actions,
                title=_l('Overdue corrective actions'))
