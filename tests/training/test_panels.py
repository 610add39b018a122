"""Home-page panels: my training and pledge; compliance for the committee and managers."""
from stintranet.pledges import services as pledge_services
from tests.training.factories import make_course


def test_employee_home_shows_open_training_and_the_pledge(client, login_as):
    """Does an employee's home page list their open course and ask them to sign the pledge?"""
    user = login_as('employee')
    make_course(title='Protection basics')
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    client.get('/training/')
    home = client.get('/').text
    assert 'Your training' in home and 'Protection basics' in home
    assert 'Please sign version 1 of the pledge' in home
    assert 'Training compliance' not in home
    assert user.name in home


def test_committee_home_shows_compliance(client, login_as):
    """Does the committee's home page show training and pledge figures by department?"""
    login_as('committee', department='LEGAL')
    make_course()
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    home = client.get('/').text
    assert 'Training compliance' in home and 'Pledge signatures (version 1)' in home
    assert '<th scope="row">LEGAL' in home


def test_admin_home_has_no_training(client, login_as):
    """Does an admin-only account's home page leave out training and pledge panels?"""
    login_as('admin', department='IT')
    make_course()
    home = client.get('/').text
    assert 'Your training' not in home and 'Training compliance' not in home
