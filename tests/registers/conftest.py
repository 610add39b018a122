"""Registers fixtures: departments, a signed-in manager of SALES, entries."""
import pytest

from tests import factories
from tests.ledger.factories import make_entry


@pytest.fixture
def departments(app):
    return {code: factories.make_department(code) for code in ('SALES', 'HR', 'IT', 'LEGAL',
                                                               'AUDIT')}


@pytest.fixture
def sales_entry(departments):
    return make_entry('SALES', outsourced=True)


@pytest.fixture
def hr_entry(departments):
    return make_entry('HR', title='Annual health checks', outsourced=True)
