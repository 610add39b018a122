"""Who published each guideline version shows in the lists; the list exports."""
from stintranet.auditlog.models import AuditEvent
from stintranet.guidelines import services
from tests import factories


def test_version_lists_name_who_published(client, login_as):
    """Do the guideline list and the version list show who published (not a dash)?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL',
                                name='Chair Tanaka')
    guideline = services.create_guideline('GL-PI', 'Protection guidelines', 'One.', 'First.',
                                          chair)
    services.publish_version(guideline, 'Protection guidelines', 'Two.', 'Second.', chair, 1)
    login_as('employee')
    assert 'Chair Tanaka' in client.get('/guidelines/').text
    versions = client.get('/guidelines/%d' % guideline.id).text
    assert versions.count('Chair Tanaka') == 2


def test_guidelines_export_as_csv_and_xlsx(client, login_as):
    """Does the guideline list offer CSV and XLSX, each audit-logged?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL',
                                name='Chair Tanaka')
    services.create_guideline('GL-PI', 'Protection guidelines', 'One.', 'First.', chair)
    login_as('employee')
    page = client.get('/guidelines/').text
    assert '/guidelines/export.csv' in page and '/guidelines/export.xlsx' in page
    csv = client.get('/guidelines/export.csv')
    assert csv.status_code == 200 and 'GL-PI' in csv.text and 'Chair Tanaka' in csv.text
    xlsx = client.get('/guidelines/export.xlsx')
    assert xlsx.status_code == 200 and xlsx.data[:2] == b'PK'
    assert AuditEvent.select().where(AuditEvent.action == 'export').count() == 2
    assert client.get('/guidelines/export.pdf').status_code == 404
