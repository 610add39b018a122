"""Home-page panels: contractors needing attention (committee); unencrypted portable media
and overdue returns (managers and the committee; carry-outs awaiting a manager's approval
are in their work list)."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..auth import roles as R
from ..timezone import today_local
from .models import Asset, Contractor


def contractors(user):
    """Agreements expiring within 30 days or expired, overdue supervision checks (two
    queries: the counts, the ten most urgent)."""
    today = today_local()
    return {'counts': Contractor.flag_counts(user, today),
            'items': list(Contractor.attention(user, today)), 'today': today}


def media(user):
    """Unencrypted portable media in the user's scope and overdue returns (two queries:
    the counts, the first ten media)."""
    today = today_local()
    return {'counts': Asset.counts(user, today), 'items': list(Asset.unencrypted_media(user)),
            'today': today}


panels.register('registers-contractors', 'registers/_panel_contractors.html', [R.COMMITTEE],
                contractors, title=_l('Contractors needing attention'))
panels.register('registers-media', 'registers/_panel_media.html', [R.MANAGER, R.COMMITTEE],
                media, title=_l('Unencrypted portable media'))
