"""The inquiries' home-page panel: answers due and overdue, and the last 12 months in
figures, for the Customer Center and the committee.

``summary`` is the panel's ``context(user)`` for ``stintranet.panels.register`` under the
name 'inquiries-due' (template ``inquiries/_panel_due.html``). The Customer Center's own
open inquiries, due date first, are the work list's ``Inquiry.awaiting_answer``.
"""
from ..timezone import today_local
from .models import open_counts, trends


def summary(user):
    """Open, overdue and due-tomorrow counts, and the year's totals (two queries)."""
    today = today_local()
    months, totals = trends(today)
    return {'counts': open_counts(user, today), 'totals': totals, 'today': today}
