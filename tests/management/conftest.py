"""Management-review fixtures: the departments, the chair signed in."""
import pytest

from tests import factories
from tests.management.factories import committee_member


@pytest.fixture
def departments(app):
    return {code: factories.make_department(code)
            for code in ('SALES', 'HR', 'IT', 'CC', 'LEGAL', 'AUDIT')}


@pytest.fixture
def chair(departments):
    return committee_member()


@pytest.fixture
def signed_in(client, chair):
    response = client.post('/login', data={'email': chair.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302
    return chair
