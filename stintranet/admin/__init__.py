"""Administration: accounts, roles and departments (no content pages); the role grants
the committee approves."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('admin', __name__, url_prefix='/admin')

# Each entry is current on its own pages (admin.user_edit under Accounts, admin.department_form
# under Departments, admin.role_grant_decide under Role grants).
nav.register(900, _l('Accounts'), 'admin.users', [R.ADMIN], section='admin.user')
nav.register(910, _l('Departments'), 'admin.departments', [R.ADMIN], section='admin.department')
nav.register(920, _l('Role grants'), 'admin.role_grants', [R.ADMIN, R.COMMITTEE],
             section='admin.role_grant')

from . import views  # noqa: E402,F401
