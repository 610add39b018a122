"""Home-page panel: Requests for Disclosure awaiting an answer, for the committee's
oversight (the Customer Center's own list of them is their work list)."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..auth import roles as R
from ..timezone import today_local
from .models import DisclosureRequest


def due(user):
    """Counts of requests awaiting an answer (all, overdue, due within 3 days) and the next
    five due: two queries."""
    today = today_local()
    return dict(DisclosureRequest.due_summary(user, today), today=today)


panels.register('disclosure-due', 'disclosure/_panel_due.html', [R.COMMITTEE], due,
                title=_l('Requests for Disclosure'))
