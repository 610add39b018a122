"""The department list offers CSV and XLSX like every other list."""
import pytest

from stintranet.auditlog.models import AuditEvent


@pytest.mark.parametrize('fmt', ('csv', 'xlsx'))
def test_departments_export(client, login_as, fmt):
    """Does the department list link its exports (administrators only), audit-logged?"""
    login_as('admin', department='IT')
    assert '/admin/departments/export.%s' % fmt in client.get('/admin/departments').text
    response = client.get('/admin/departments/export.%s' % fmt)
    assert response.status_code == 200
    if fmt == 'csv':
        assert 'IT' in response.text
    assert AuditEvent.get(AuditEvent.action == 'export').object_type == 'department'


def test_only_the_administrator_exports_departments(client, login_as):
    """Is the export a 403 for everyone else?"""
    login_as('employee', 'committee', department='LEGAL')
    assert client.get('/admin/departments/export.csv').status_code == 403
