"""The registers at /registers/: contractors, third-party provision records, devices and
media with carry-outs and disposals, and notices of a change of purpose of use."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('registers', __name__, url_prefix='/registers')

# Who opens the registers at all; managers see their departments' records only
# (contractors, being the company's, they see all of).
READERS = (R.MANAGER, R.COMMITTEE, R.AUDITOR)

nav.register(150, _l('Registers'), 'registers.index', READERS)

# Who asks to carry a device or medium of their department out of the office: everyone
# but the administrator (who handles no content).
CARRY_OUT_ROLES = (R.EMPLOYEE, R.MANAGER, R.COMMITTEE, R.CUSTOMER_CENTER, R.AUDITOR)

nav.register(155, _l('Carry-outs'), 'registers.carry_outs', CARRY_OUT_ROLES,
             section='registers.carry_out')


from . import panels, seed, views  # noqa: E402,F401
