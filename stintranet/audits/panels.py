"""Home-page panel: open findings, their corrective actions and the coming inspections."""
from ..auth import roles as R
from ..dashboard import panels
from ..timezone import today_local
from .models import Finding, Inspection, attach_scope, finding_actions


def audit_panel(user):
    """Seven queries whatever the number of inspections, findings and actions.

    An auditor sees everything; a manager the departments they manage.
    """
    today = today_local()
    findings = Finding.open_for(user)
    inspections = attach_scope(Inspection.upcoming(user, limit=8))
    return {
        'findings': list(findings.limit(8)),
        'findings_total': findings.count(),
        'actions': finding_actions(user, today),
        'inspections': inspections,
        'today': today,
        'everything': user.reads_all_departments(),
    }


panels.register(320, 'audits', 'audits/_panel.html', [R.AUDITOR, R.MANAGER],
                context=audit_panel)
