"""Department scoping: which departments a person's lists and filters offer."""
from stintranet.auth.models import Department
from tests import factories


def codes(user):
    return [d.code for d in Department.visible_to(user)]


def test_readers_of_all_see_every_department_managers_theirs_others_none(app):
    """Do the committee and auditors see every department, a manager only the managed ones, an employee none?"""
    for code in ('SALES', 'HR', 'IT'):
        factories.make_department(code)
    committee = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    manager = factories.make_user(roles=('employee', 'manager'), department='SALES',
                                  manages=('SALES', 'IT'))
    employee = factories.make_user(department='HR')
    everything = sorted(d.code for d in Department.select())
    assert codes(committee) == codes(auditor) == everything
    assert codes(manager) == ['IT', 'SALES']
    assert codes(employee) == []
