"""Inquiries fixtures: the departments, a Customer Center member signed in."""
import pytest

from tests import factories
from tests.inquiries.factories import cc_user


@pytest.fixture
def departments(app):
    return {code: factories.make_department(code)
            for code in ('SALES', 'HR', 'IT', 'CC', 'LEGAL', 'AUDIT')}


@pytest.fixture
def cc(departments):
    return cc_user()


@pytest.fixture
def signed_in(client, cc):
    response = client.post('/login', data={'email': cc.email, 'password': factories.PASSWORD})
    assert response.status_code == 302
    return cc
