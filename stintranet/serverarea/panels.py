"""The server area's home-page panel: what the daily job flags (entries without an exit,
unescorted visitors, devices not approved) and who is inside each area now, for the
managers of the areas' departments, the committee and the auditors.

The entries left open past their day in the areas a manager's departments hold are in
that manager's work list (``AreaEntry.without_exit``).
"""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..timezone import today_local
from . import READERS
from .models import ServerArea, flag_counts

LIMIT = 10


def flags(user):
    """The flag counts and the first areas with who is inside (two queries)."""
    today = today_local()
    return {'counts': flag_counts(user, today), 'today': today,
            'areas': list(ServerArea.listing(user, today).limit(LIMIT))}


panels.register('serverarea-flags', 'serverarea/_panel_flags.html', READERS, flags,
                title=_l('Server area'))
