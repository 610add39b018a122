"""Home-page panels: my open training; compliance for the committee and managers."""
from flask_babel import lazy_gettext as _l

from ..dashboard import panels
from ..timezone import today_local
from . import models
from .people import COMPLIANCE_ROLES, CONTENT_ROLES


def my_training(user):
    """The person's open assignments (one query)."""
    today = today_local()
    assignments = list(models.Assignment.open_for(user))
    return {'assignments': assignments, 'today': today,
            'overdue': sum(1 for a in assignments if a.is_overdue(today))}


def department_compliance(user):
    """The departments the reader may see, all published courses (one query)."""
    rows = models.compliance(user, today_local())
    return {'rows': rows, 'total': models.total_row(rows, _l('All departments'))}


panels.register(300, 'training-mine', 'training/_panel_mine.html', CONTENT_ROLES,
                context=my_training)
panels.register(310, 'training-compliance', 'training/_panel_compliance.html',
                COMPLIANCE_ROLES, context=department_compliance)
