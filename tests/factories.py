"""Test data with keyword defaults: ``make_department``, ``make_user``..."""
import itertools

from stintranet.auth.models import Department
from stintranet.auth.services import create_user

PASSWORD = 'Tokyo-harbour-lights-2026'
_counter = itertools.count(1)


def make_department(code='SALES', name=None):
    department = Department.get_or_none(Department.code == code)
    if department is None:
        department = Department.create(code=code, name=name or '%s Department' % code.title())
    return department


def make_user(roles=('employee',), department='SALES', manages=(), email=None, name=None,
              password=PASSWORD, must_change_password=False):
    n = next(_counter)
    dept = department if isinstance(department, Department) else make_department(department)
    managed = [m if isinstance(m, Department) else make_department(m) for m in manages]
    if 'manager' in roles and not managed:
        managed = [dept]
    return create_user(email or 'user%d@st-group.example' % n, name or 'User %d' % n, dept,
                       list(roles), managed, password=password,
                       must_change_password=must_change_password)
