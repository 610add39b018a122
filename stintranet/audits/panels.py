"""Home-page panel: open findings, their corrective actions and the coming inspections
(the inspections an auditor leads and the actions they must check are in their work list)."""
from flask_babel import lazy_gettext as _l
from peewee import SQL, fn

from .. import panels
from ..auth import roles as R
from ..timezone import today_local
from .models import Finding, Inspection, attach_scope, finding_action_counts


def audit_panel(user):
    """Four queries whatever the number of inspections, findings and actions: the first
    open findings with their total, the action counts, the coming inspections and their
    scope. An auditor sees everything; a manager the departments they manage."""
    findings = list(Finding.open_for(user)
                    .select_extend(fn.COUNT(SQL('*')).over().alias('total')).limit(8))
    return {
        'findings': findings,
        'findings_total': findings[0].total if findings else 0,
        'actions': finding_action_counts(user, today_local()),
        'inspections': attach_scope(Inspection.upcoming(user, limit=8)),
        'everything': user.reads_all_departments(),
    }


panels.register('audits-inspections', 'audits/_panel_inspections.html',
                [R.AUDITOR, R.MANAGER], audit_panel, title=_l('Inspections and findings'))
