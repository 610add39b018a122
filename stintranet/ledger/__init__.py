"""The personal information management ledger (個人情報管理台帳) at /ledger/."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('ledger', __name__, url_prefix='/ledger')

# Who reads the ledger at all; managers see their departments' entries only.
READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)

nav.register(100, _l('Ledger'), 'ledger.index', READERS)


@bp.record
def check_settings(state):
    """The ledger is reviewed at least yearly (settings: LEDGER_* in config.py)."""
    months = state.app.config['LEDGER_REVIEW_MONTHS']
    if not 1 <= months <= 12:
        raise RuntimeError('LEDGER_REVIEW_MONTHS must be 1 to 12: the ledger is reviewed '
                           'at least yearly (got %r)' % months)


from . import documents, explain, panels, risk, seed, views  # noqa: E402,F401
