"""Training: courses, assignments by audience, quizzes, imports and compliance."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from .people import CONTENT_ROLES

bp = Blueprint('training', __name__, url_prefix='/training')

nav.register(300, _l('Training'), 'training.index', CONTENT_ROLES)

from . import documents, panels, seed, services, views  # noqa: E402,F401
