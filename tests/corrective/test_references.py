"""The corrective-action list names each action's source by its reference."""
from playhouse.test_utils import count_queries

from stintranet.corrective.models import CorrectiveAction
from tests import factories
from tests.incidents.factories import make_action, make_incident


def test_list_and_export_show_the_incident_reference(client, login_as):
    """Does the list show INC-… (not "Incident #7"), in the same number of queries for
    one and many sources, and the export too?"""
    member = login_as('employee', 'committee', department='LEGAL')
    owner = factories.make_user()
    incident = make_incident()
    make_action(incident, owner, created_by=member)

    def page():
        with count_queries() as counter:
            response = client.get('/corrective-actions/?who=all')
        assert response.status_code == 200
        return response.text, counter.count
    text, few = page()
    assert incident.reference in text and 'Incident #%d' % incident.id not in text
    for _n in range(5):
        make_action(make_incident(), owner, created_by=member)
    text, many = page()
    assert many == few and text.count('INC-') >= 6
    export = client.get('/corrective-actions/export.csv?who=all').text
    assert incident.reference in export
    assert CorrectiveAction.select().count() == 6
