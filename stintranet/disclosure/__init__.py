"""Requests for Disclosure at /requests/: intake, identity checks, decisions, responses,
and the destruction of the submitted documents six months after completion."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
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


from . import documents, panels, seed, views  # noqa: E402,F401
