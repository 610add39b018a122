"""CSRF is enforced on the audit forms."""
import re

import pytest

from stintranet.audits.models import Inspection
from tests import factories
from tests.audits.factories import make_inspection


@pytest.fixture
def app_config():
    return {'WTF_CSRF_ENABLED': True}


def test_posts_without_a_token_are_400(client, departments, auditor):
    """Is a tokenless POST to an audit form refused with 400?"""
    inspection = make_inspection(lead=auditor)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get('/login').text)
    response = client.post('/login', data={'email': auditor.email,
                                           'password': factories.PASSWORD,
                                           'csrf_token': token.group(1)})
    assert response.status_code == 302
    response = client.post('/audits/%d/cancel' % inspection.id, data={'reason': 'x'})
    assert response.status_code == 400
    assert Inspection.get_by_id(inspection.id).status == 'planned'
