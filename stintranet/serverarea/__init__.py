"""The server management area at /server-area/ (policy §4.5): areas, authorised persons,
entries and exits recorded at the door, devices brought in, and the daily job's flags.

Managers of an area's department and the committee manage it; the auditors read; anyone
else gets 403, and a manager asking for another department's area 404.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('serverarea', __name__, url_prefix='/server-area')

READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)
MANAGERS = (R.MANAGER, R.COMMITTEE)

nav.register(160, _l('Server area'), 'serverarea.index', READERS)

from . import panels, seed, views  # noqa: E402,F401
