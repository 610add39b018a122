"""Incidents: reporting a suspected leak, committee review, and the APPI breach clocks."""
from flask import Blueprint

from .. import nav
from ..auth import roles as R
from flask_babel import lazy_gettext as _l

bp = Blueprint('incidents', __name__, url_prefix='/incidents')

nav.register(200, _l('Incidents'), 'incidents.index',
             [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR])

from . import views, panels, sources, seed  # noqa: E402,F401
