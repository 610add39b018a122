"""Guidelines for the Protection of Personal Information: versioned documents."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..training.people import CONTENT_ROLES

bp = Blueprint('guidelines', __name__, url_prefix='/guidelines')

nav.register(320, _l('Guidelines'), 'guidelines.index', CONTENT_ROLES)

from . import seed, views  # noqa: E402,F401
