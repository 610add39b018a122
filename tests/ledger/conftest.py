"""Ledger fixtures: departments, a manager signed in, entries."""
import pytest

from tests import factories
from tests.ledger.factories import make_entry


@pytest.fixture
def departments(app):
    return {code: factories.make_department(code) for code in ('SALES', 'HR', 'IT')}


@pytest.fixture
def manager(login_as, departments):
    """A signed-in personal-information manager of SALES."""
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


@pytest.fixture
def sales_entry(departments):
    responsible = factories.make_user(roles=('employee', 'manager'), department='SALES')
    return make_entry('SALES', responsible=responsible)


@pytest.fixture
def hr_entry(departments):
    responsible = factories.make_user(roles=('employee', 'manager'), department='HR')
    return make_entry('HR', responsible=responsible, title='Annual health checks',
                      category='employee', items=['name', 'health'])
