"""The pledge version list names who published each version and exports."""
import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.pledges import services
from tests import factories


def test_versions_name_who_published_and_export(client, login_as):
    """Does the version list show the publisher, and export as CSV and XLSX?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL',
                                name='Chair Tanaka')
    services.publish_version('Pledge', 'I keep personal data confidential.', '', chair, 0)
    login_as('employee', 'committee', department='LEGAL')
    page = client.get('/pledges/versions/').text
    assert '<td>Chair Tanaka</td>' in page
    assert '/pledges/versions/export.csv' in page
    csv = client.get('/pledges/versions/export.csv')
    assert csv.status_code == 200 and 'Chair Tanaka' in csv.text
    assert client.get('/pledges/versions/export.xlsx').data[:2] == b'PK'
    assert AuditEvent.select().where(AuditEvent.action == 'export').count() == 2


@pytest.mark.parametrize('roles,status', [(('employee',), 403), (('auditor',), 200),
                                          (('employee', 'manager'), 403)])
def test_who_exports_the_versions(client, login_as, roles, status):
    """Is the export open to the readers of the version list only?"""
    login_as(*roles)
    assert client.get('/pledges/versions/export.csv').status_code == status
