"""Server-area fixtures: an IT server room with an authorised person, its manager signed in."""
import pytest

from tests import factories
from tests.serverarea.factories import authorise, make_area, manager_of


@pytest.fixture
def room(app):
    for code in ('SALES', 'HR', 'IT', 'CC', 'LEGAL', 'AUDIT'):
        factories.make_department(code)
    return make_area('IT', name='Server room 3F')


@pytest.fixture
def it_manager(room):
    return manager_of('IT')


@pytest.fixture
def operator(room):
    user = factories.make_user(department='IT', name='Ken Operator')
    authorise(room, user)
    return user


@pytest.fixture
def signed_in(client, it_manager):
    response = client.post('/login', data={'email': it_manager.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302
    return it_manager
