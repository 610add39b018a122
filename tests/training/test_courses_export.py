"""The course list offers CSV and XLSX like every other list."""
import pytest

from tests.exporting import FORMATS, last_export, rows_of
from tests.training.factories import make_course


@pytest.mark.parametrize('fmt', FORMATS)
def test_courses_export(client, login_as, fmt):
    """Does the course list link its exports, each holding every course, audit-logged?"""
    make_course(code='PI-101', title='Protection basics')
    make_course(code='PI-201', title='Handling incidents', publish=False)
    login_as('committee', department='LEGAL')
    assert '/training/courses/export.%s' % fmt in client.get('/training/courses/').text
    rows = rows_of(client.get('/training/courses/export.%s' % fmt), fmt)
    assert [r[0] for r in rows[1:]] == ['PI-101', 'PI-201']
    event, details = last_export()
    assert event.object_type == 'course' and details['rows'] == 2


@pytest.mark.parametrize('roles,status', [(('employee',), 403), (('auditor',), 200),
                                          (('admin',), 403)])
def test_who_exports_the_courses(client, login_as, roles, status):
    """Is the course export open to the committee and the auditors only?"""
    login_as(*roles, department='LEGAL')
    assert client.get('/training/courses/export.csv').status_code == status
