"""Home-page panels: my open training; compliance for the committee and managers."""
from ..dashboard import panels
from flask_babel import lazy_gettext as _l
from ..timezone import today_local
from . import models
from .people import COMPLIANCE_ROLES, CONTENT_ROLES


def my_training(user, reads):
    """The person's open assignments (one read)."""
    today = today_local()
    assignments = reads.rows(models.Assignment.open_for(user))

    def build():
        found = assignments.value
        return {'assignments': found, 'today': today,
                'overdue': sum(1 for a in found if a.is_overdue(today))}
    return build


def department_compliance(user, reads):
    """The departments the reader may see, all published courses (one read)."""
    tuples = reads.rows(models.compliance_query(user, today_local()).tuples())

    def build():
        rows = models.compliance_rows(tuples.value)
        return {'rows': rows, 'total': models.total_row(rows, _l('All departments'))}
    return build


panels.register(300, 'training-mine', 'training/_panel_mine.html', CONTENT_ROLES,
                context=my_training)
panels.register(310, 'training-compliance', 'training/_panel_compliance.html',
                COMPLIANCE_ROLES, context=department_compliance)
