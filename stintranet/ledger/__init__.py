"""The personal information management ledger (個人情報管理台帳) at /ledger/."""
from flask import Blueprint

from .. import nav
from ..auth import roles as R
from ..dashboard import panels
from flask_babel import lazy_gettext as _l

bp = Blueprint('ledger', __name__, url_prefix='/ledger')

# Who reads the ledger at all; managers see their departments' entries only.
READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)

nav.register(100, _l('Ledger'), 'ledger.index', READERS)


def _panel_context(user, reads):
    """Reviews overdue and due, entries needing attention, reviews awaiting approval."""
    from ..timezone import today_local
    from .models import LedgerEntry, LedgerReview
    counts = reads.first(LedgerEntry.health_counts_query(user, today_local()))
    awaiting = (reads.count(LedgerReview.awaiting_approval(user))
                if user.has_role(R.COMMITTEE) else None)

    def build():
        found = LedgerEntry.counts_from_row(counts.value)
        if awaiting is not None:
            found['awaiting_approval'] = awaiting.value
        return found
    return build


panels.register(200, 'ledger', 'ledger/_panel.html', READERS, context=_panel_context)

@bp.record
def check_settings(state):
    """The ledger is reviewed at least yearly (settings: LEDGER_* in config.py)."""
    months = state.app.config['LEDGER_REVIEW_MONTHS']
    if not 1 <= months <= 12:
        raise RuntimeError('LEDGER_REVIEW_MONTHS must be 1 to 12: the ledger is reviewed '
                           'at least yearly (got %r)' % months)


from . import seed, views  # noqa: E402,F401
