"""Administration: accounts, roles and departments (no content pages)."""
from flask import Blueprint

from .. import nav
from ..auth import roles as R
from flask_babel import lazy_gettext as _l

bp = Blueprint('admin', __name__, url_prefix='/admin')

nav.register(900, _l('Accounts'), 'admin.users', [R.ADMIN])
nav.register(910, _l('Departments'), 'admin.departments', [R.ADMIN])

from . import views  # noqa: E402,F401
