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


def test_navigation_marks_the_page_of_each_admin_section(client, login_as):
    """Is "Departments" (not "Accounts") the current navigation entry on the department
    pages, and "Accounts" on an account's page?"""
    import re
    admin = login_as('admin')

    def current(path):
        text = client.get(path).text
        return re.findall(r'<a href="([^"]+)" aria-current="page">', text)
    assert current('/admin/departments') == ['/admin/departments']
    assert current('/admin/departments/new') == ['/admin/departments']
    assert current('/admin/users/%d' % admin.id) == ['/admin/users']
    assert current('/admin/role-grants') == ['/admin/role-grants']
