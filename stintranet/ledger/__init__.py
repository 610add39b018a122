"""The personal information management ledger (個人情報管理台帳) at /ledger/."""
import os

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R
from ..dashboard import panels

bp = Blueprint('ledger', __name__, url_prefix='/ledger')

# Who reads the ledger at all; managers see their departments' entries only.
READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)

nav.register(100, _l('Ledger'), 'ledger.index', READERS)


def _panel_context(user):
    """Reviews overdue and due, entries needing attention, reviews awaiting approval."""
    from ..timezone import today_local
    from .models import LedgerEntry, LedgerReview
    counts = LedgerEntry.health_counts(user, today_local())
    if user.has_role(R.COMMITTEE):
        counts['awaiting_approval'] = LedgerReview.awaiting_approval(user).count()
    return counts


panels.register(200, 'ledger', 'ledger/_panel.html', READERS, context=_panel_context)

SETTINGS = {
    # Months from a review to the next one is due ("at least yearly").
    'LEDGER_REVIEW_MONTHS': 12,
    # How long an uploaded import waits for its commit.
    'LEDGER_IMPORT_TTL_MINUTES': 60,
    'LEDGER_IMPORT_MAX_ROWS': 5000,
    'LEDGER_IMPORT_MAX_BYTES': 5 * 1024 * 1024,
}


@bp.record_once
def configure(state):
    """Defaults < instance config < STINTRANET_LEDGER_* environment."""
    config = state.app.config
    for name, default in SETTINGS.items():
        raw = os.environ.get('STINTRANET_' + name)
        if raw is not None and name not in config:
            try:
                config[name] = int(raw)
            except ValueError:
                raise RuntimeError('STINTRANET_%s: expected a whole number, got %r'
                                   % (name, raw)) from None
        config.setdefault(name, default)
    months = config['LEDGER_REVIEW_MONTHS']
    if not 1 <= months <= 12:
        raise RuntimeError('LEDGER_REVIEW_MONTHS must be 1 to 12: the ledger is reviewed '
                           'at least yearly (got %r)' % months)


from . import jobs, seed, views  # noqa: E402,F401
