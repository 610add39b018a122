"""The management review at /management-reviews/ (JIS Q 15001 9.3, 代表者による見直し):
at least yearly, the top management reviews the personal-information management system
on inputs gathered from the app, and its decisions raise corrective actions.

The committee prepares and records reviews; the auditors read them; anyone else gets 403.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from .models import READERS

bp = Blueprint('management', __name__, url_prefix='/management-reviews')

nav.register(650, _l('Management review'), 'management.index', READERS)

from . import documents, panels, seed, sources, views  # noqa: E402,F401
