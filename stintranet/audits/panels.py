"""Home-page panel: open findings, their corrective actions and the coming inspections."""
from ..auth import roles as R
from ..dashboard import panels
from ..timezone import today_local
from .models import (Finding, Inspection, attach_scope_rows, finding_action_queries,
                     scope_query)


def audit_panel(user, reads):
    """Seven reads whatever the number of inspections, findings and actions.

    An auditor sees everything; a manager the departments they manage.
    """
    today = today_local()
    findings = Finding.open_for(user)
    upcoming = Inspection.upcoming_query(user, limit=8)
    action_rows, action_counts = finding_action_queries(user, today)
    handles = {
        'findings': reads.rows(findings.limit(8)),
        'findings_total': reads.count(findings),
        'inspections': reads.rows(upcoming),
        'scope': reads.rows(scope_query(upcoming.select(Inspection.id))),
        'action_rows': reads.rows(action_rows),
        'action_counts': {name: reads.count(query) for name, query in action_counts.items()},
    }

    def build():
        actions = {name: handle.value for name, handle in handles['action_counts'].items()}
        actions['rows'] = handles['action_rows'].value
        return {
            'findings': handles['findings'].value,
            'findings_total': handles['findings_total'].value,
            'actions': actions,
            'inspections': attach_scope_rows(handles['inspections'].value,
                                             handles['scope'].value),
            'today': today,
            'everything': user.reads_all_departments(),
        }
    return build


panels.register(320, 'audits', 'audits/_panel.html', [R.AUDITOR, R.MANAGER],
                context=audit_panel)
