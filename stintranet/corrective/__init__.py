"""Corrective actions, shared by incidents and the Audit Department's findings.

A capability registers its source type with ``sources.register`` (who may read,
manage and verify its actions, where it lives) and raises actions through
``services.create``; owners follow and update theirs at ``/corrective-actions/``.
"""
from flask import Blueprint

from .. import nav
from ..auth import roles as R
from flask_babel import lazy_gettext as _l

bp = Blueprint('corrective', __name__, url_prefix='/corrective-actions')

nav.register(250, _l('Corrective actions'), 'corrective.index',
             [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR])

from . import views, panels  # noqa: E402,F401
