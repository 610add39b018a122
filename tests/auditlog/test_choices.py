"""The audit-log filter's choices come from a loose index scan, not SELECT DISTINCT."""
from playhouse.test_utils import count_queries

from stintranet import auditlog
from stintranet.auditlog.models import AuditEvent


def test_actions_and_object_types_are_the_distinct_values(app):
    """Are the choices every distinct action and non-empty object type, sorted, in one
    query each, as SELECT DISTINCT would give them?"""
    assert AuditEvent.actions() == [] and AuditEvent.object_types() == []
    for n in range(30):
        auditlog.append(('read', 'export', 'zeta_action', 'approve')[n % 4],
                        object_type=('', 'ledger_entry', 'user')[n % 3], object_id=n)
    with count_queries() as counter:
        actions, types = AuditEvent.actions(), AuditEvent.object_types()
    assert counter.count == 2
    assert actions == ['approve', 'export', 'read', 'zeta_action']
    assert types == ['ledger_entry', 'user']
    distinct = AuditEvent.select(AuditEvent.action).distinct()
    assert actions == sorted(e.action for e in distinct)
