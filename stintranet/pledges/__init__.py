"""Confidentiality pledges: versioned texts that each employee signs by typing their name."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..training.people import CONTENT_ROLES

bp = Blueprint('pledges', __name__, url_prefix='/pledges')

nav.register(310, _l('Pledge'), 'pledges.index', CONTENT_ROLES)

from . import documents, panels, seed, views  # noqa: E402,F401
