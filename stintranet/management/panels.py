"""The management review's home-page panel, for the committee and the auditors: the last
review held, when the next is due, the one in preparation, and the actions reviews raised.

The committee's own to-do (a review to hold or close, or one due) is in its work list
(``ManagementReview.needing_work``).
"""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..timezone import today_local
from . import catalogue as C
from .models import READERS, ManagementReview, action_counts, next_due


def summary(user):
    """The last review held and the open ones (one query), the actions' counts (one)."""
    today = today_local()
    rows = list(ManagementReview.open_and_last_held(user))
    held = [r for r in rows if r.status in (C.HELD, C.CLOSED)]
    last = max(held, key=lambda r: (r.held_on, r.id)) if held else None
    due = next_due(last.held_on if last else None, today)
    return {'last': last, 'open': [r for r in rows if r.is_open], 'due_on': due,
            'overdue': due < today, 'actions': action_counts(user, today), 'today': today}


panels.register('management-review', 'management/_panel.html', READERS, summary,
                title=_l('Management review'))
