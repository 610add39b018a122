"""Incidents: reporting a suspected leak, committee review, and the APPI breach clocks."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('incidents', __name__, url_prefix='/incidents')

nav.register(200, _l('Incidents'), 'incidents.index',
             [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR])

from . import documents, panels, seed, sources, views  # noqa: E402,F401
