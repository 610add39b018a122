"""Home: open training and the pledge in the person's work list; compliance panels for the
committee and managers."""
from stintranet.pledges import services as pledge_services
from tests.training.factories import make_course


def test_employee_work_list_shows_open_training_and_the_pledge(client, login_as):
    """Does an employee's work list hold their open course and the pledge to sign, and no
    compliance panel?"""
    user = login_as('employee')
    make_course(title='Protection basics')
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    client.get('/training/')
    home = client.get('/').text
    assert '1 course to complete' in home and 'Protection basics' in home
    assert '1 pledge to sign' in home and 'Not signed yet' in home
    assert 'Training compliance' not in home
    assert user.name in home
    assert client.get('/home/panels/training-compliance').status_code == 404


def test_committee_home_shows_compliance(client, login_as):
    """Does the committee's home page offer training and pledge figures by department?"""
    login_as('committee', department='LEGAL')
    make_course()
    pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    home = client.get('/').text
    assert 'href="/home/panels/training-compliance"' in home
    training = client.get('/home/panels/training-compliance').text
    pledges = client.get('/home/panels/pledges-compliance').text
    assert 'Training compliance' in training and 'Pledge signatures (version 1)' in pledges
    assert '<th scope="row">LEGAL' in pledges


def test_admin_home_has_no_training(client, login_as):
    """Does an admin-only account's home page leave out training and pledges?"""
    login_as('admin', department='IT')
    make_course()
    home = client.get('/').text
    assert 'Training' not in home and 'Training compliance' not in home
