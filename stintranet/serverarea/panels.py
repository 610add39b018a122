"""The server area's home-page panel: what the daily job flags (entries without an exit,
unescorted visitors, devices not approved) and who is inside each area now, for the
managers of the areas' departments, the committee and the auditors.

``flags`` is the panel's ``context(user)`` for ``stintranet.panels.register`` under the
name 'serverarea-flags' (template ``serverarea/_panel_flags.html``). Each person's own
entries left open past their day are the work list's ``AreaEntry.without_exit``.
"""
from ..timezone import today_local
from .models import ServerArea, flag_counts

LIMIT = 10


def flags(user):
    """The flag counts and the first areas with who is inside (two queries)."""
    today = today_local()
    return {'counts': flag_counts(user, today), 'today': today,
            'areas': list(ServerArea.listing(user, today).limit(LIMIT))}
