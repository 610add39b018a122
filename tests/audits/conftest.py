"""Audit fixtures: the departments, an auditor of AUDIT, a manager of SALES."""
import pytest

from tests import factories
from tests.audits.factories import make_auditor


@pytest.fixture
def departments(app):
    return {code: factories.make_department(code)
            for code in ('SALES', 'HR', 'IT', 'AUDIT', 'LEGAL')}


@pytest.fixture
def auditor(departments):
    return make_auditor(name='Yumi Takahashi')


@pytest.fixture
def sales_manager(departments):
    return factories.make_user(roles=('employee', 'manager'), department='SALES',
                               manages=('SALES',), name='Akiko Watanabe')

