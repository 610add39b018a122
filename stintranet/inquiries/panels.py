"""The inquiries' home-page panel: answers due and overdue, and the last 12 months in
figures, for the Customer Center and the committee.

The Customer Center's own open inquiries, due date first, are in its work list
(``Inquiry.awaiting_answer``).
"""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..timezone import today_local
from .models import READERS, open_counts, trends


def summary(user):
    """Open, overdue and due-tomorrow counts, and the year's totals (two queries)."""
    today = today_local()
    months, totals = trends(today)
    return {'counts': open_counts(user, today), 'totals': totals, 'today': today}


panels.register('inquiries-due', 'inquiries/_panel_due.html', READERS, summary,
                title=_l('Inquiries and complaints'))
