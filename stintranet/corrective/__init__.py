"""Corrective actions, shared by incidents and the Audit Department's findings.

A capability registers its source type with ``sources.register`` (who may read,
manage and verify its actions, where it lives) and raises actions through
``services.create``; owners follow and update theirs at ``/corrective-actions/``.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('corrective', __name__, url_prefix='/corrective-actions')

nav.register(250, _l('Corrective actions'), 'corrective.index',
             [R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR])

from . import panels, views  # noqa: E402,F401
