"""Administration: accounts, roles and departments (no content pages); the role grants
the committee approves."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('admin', __name__, url_prefix='/admin')

nav.register(900, _l('Accounts'), 'admin.users', [R.ADMIN])
nav.register(910, _l('Departments'), 'admin.departments', [R.ADMIN])
nav.register(920, _l('Role grants'), 'admin.role_grants', [R.ADMIN, R.COMMITTEE])

from . import views  # noqa: E402,F401
