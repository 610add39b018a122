"""The registers at /registers/: contractors, third-party provision records, devices and
media with carry-outs and disposals, and notices of a change of purpose of use."""
from flask import Blueprint

from .. import nav
from ..auth import roles as R
from ..dashboard import panels
from flask_babel import lazy_gettext as _l

bp = Blueprint('registers', __name__, url_prefix='/registers')

# Who opens the registers at all; managers see their departments' records only
# (contractors, being the company's, they see all of).
READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)

nav.register(150, _l('Registers'), 'registers.index', READERS)


def _contractor_panel(user, reads):
    """Agreements expiring within 30 days or expired, overdue supervision checks."""
    from ..timezone import today_local
    from .models import Contractor, counts_from_row
    today = today_local()
    counts = reads.first(Contractor.flag_counts_query(user, today))
    items = reads.rows(Contractor.attention(user, today))
    return lambda: {'counts': counts_from_row(counts.value), 'items': items.value,
                    'today': today}


def _media_panel(user, reads):
    """Unencrypted portable media in the user's scope; requests awaiting the manager."""
    from ..timezone import today_local
    from .models import Asset, CarryOut, counts_from_row
    today = today_local()
    counts = reads.first(Asset.counts_query(user, today))
    items = reads.rows(Asset.unencrypted_media(user))
    awaiting = reads.rows(CarryOut.awaiting(user))
    return lambda: {'counts': counts_from_row(counts.value), 'items': items.value,
                    'awaiting': awaiting.value, 'today': today}


panels.register(250, 'registers-contractors', 'registers/_panel_contractors.html',
                [R.COMMITTEE], context=_contractor_panel)
panels.register(260, 'registers-media', 'registers/_panel_media.html',
                [R.MANAGER, R.COMMITTEE], context=_media_panel)


from . import seed, views  # noqa: E402,F401
