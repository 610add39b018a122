"""Requests for Disclosure at /requests/: intake, identity checks, decisions, responses,
and the destruction of the submitted documents six months after completion."""
from flask import Blueprint

from .. import nav
from ..dashboard import panels
from flask_babel import lazy_gettext as _l
from .models import READERS

bp = Blueprint('disclosure', __name__, url_prefix='/requests')

nav.register(400, _l('Requests'), 'disclosure.index', READERS)

# Sensible bounds for the settings (config.py holds the defaults: 14 days, 6 months).
LIMITS = {'DISCLOSURE_DUE_DAYS': (1, 90), 'DISCLOSURE_RETENTION_MONTHS': (1, 120)}


@bp.record_once
def check_settings(state):
    """Refuse to start with a due date or keeping period that makes no sense."""
    for name, (low, high) in LIMITS.items():
        value = state.app.config.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise RuntimeError('%s must be a whole number from %d to %d (got %r)'
                               % (name, low, high, value))


def _panel_context(user, reads):
    from ..timezone import today_local
    from .models import DisclosureRequest
    today = today_local()
    counts, upcoming = DisclosureRequest.due_summary_queries(user, today)
    counts, upcoming = reads.first(counts), reads.rows(upcoming)
    return lambda: dict(DisclosureRequest.summary_from(counts.value, upcoming.value),
                        today=today)


panels.register(400, 'requests', 'disclosure/_panel.html', READERS, context=_panel_context)

from . import seed, views  # noqa: E402,F401
