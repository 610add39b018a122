"""Home-page panel: training compliance by department for the committee, auditors and
managers (each person's own courses are in their work list)."""
from flask_babel import lazy_gettext as _l

from .. import panels
from ..timezone import today_local
from . import models
from .people import COMPLIANCE_ROLES


def department_compliance(user):
    """The departments the reader may see, all published courses (one query)."""
    rows = models.compliance(user, today_local())
    return {'rows': rows, 'total': models.total_row(rows, _l('All departments'))}


panels.register('training-compliance', 'training/_panel_compliance.html', COMPLIANCE_ROLES,
                department_compliance, title=_l('Training compliance'))
