"""The Audit Department's inspections at /audits/: scope, checklist, findings, report.

Findings raise corrective actions through the shared ``corrective`` package.
"""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from .. import nav
from ..auth import roles as R

bp = Blueprint('audits', __name__, url_prefix='/audits')

# Who reads inspections at all; managers see those of their departments only.
READERS = (R.AUDITOR, R.COMMITTEE, R.MANAGER)

nav.register(600, _l('Audits'), 'audits.index', READERS)

from . import documents, panels, seed, sources, views  # noqa: E402,F401
