"""Home-page panel: the health of the ledger entries the reader may see (the reviews a
manager must do and those the committee must approve are in their work lists)."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..timezone import today_local
from . import READERS
from .models import LedgerEntry


def health(user):
    """Current entries and their problems, counted in one query."""
    return LedgerEntry.health_counts(user, today_local())


panels.register('ledger-health', 'ledger/_panel_health.html', READERS, health,
                title=_l('Ledger health'))
