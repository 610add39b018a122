"""Who may do what with management reviews: the committee prepares and records them, the
auditors read them, nobody else sees them; the actions they raise follow their source."""
import datetime

import pytest

from stintranet.corrective.models import CorrectiveAction
from stintranet.management import services
from stintranet.management.models import ManagementReview
from stintranet.timezone import today_local
from tests import factories
from tests.management.factories import make_review

OTHERS = [('employee',), ('employee', 'manager'), ('employee', 'customer_center'), ('admin',)]


def reads(review_id):
    return ['/management-reviews/', '/management-reviews/%d' % review_id,
            '/management-reviews/%d/print' % review_id, '/management-reviews/export.csv']


def writes(review_id):
    return [('/management-reviews/new', {}), ('/management-reviews/%d/edit' % review_id, {}),
            ('/management-reviews/%d/inputs' % review_id, {'version': '1'}),
            ('/management-reviews/%d/hold' % review_id, {'version': '1',
                                                         'held_on': '2026-01-05'}),
            ('/management-reviews/%d/close' % review_id, {'version': '1'}),
            ('/management-reviews/%d/decisions/audits' % review_id,
             {'audits-decision': 'x', 'audits-version': ''})]


@pytest.mark.parametrize('roles', OTHERS, ids=lambda r: '+'.join(r))
def test_everyone_else_gets_403(client, login_as, departments, roles):
    """Is every page and every write of the reviews refused (403) to the employees, the
    managers, the Customer Center and the administrator?"""
    review = make_review()
    login_as(*roles, department='SALES')
    for url in reads(review.id):
        assert client.get(url).status_code == 403, url
    for url, data in writes(review.id):
        assert client.post(url, data=data).status_code == 403, url
    assert '/management-reviews/' not in client.get('/').text


def test_auditors_read_but_never_write(client, login_as, departments):
    """Do the auditors read every review, its print and export, and are refused every
    write (403), the buttons not offered?"""
    review = make_review()
    login_as('employee', 'auditor', department='AUDIT')
    for url in reads(review.id):
        assert client.get(url).status_code == 200, url
    for url, data in writes(review.id):
        assert client.post(url, data=data).status_code == 403, url
    assert client.get('/management-reviews/new').status_code == 403
    page = client.get('/management-reviews/%d' % review.id).text
    assert 'Record the decision' not in page and 'Mark as held' not in page
    assert 'Prepare a management review' not in client.get('/management-reviews/').text
    assert ManagementReview.get_by_id(review.id).version == review.version


def test_actions_raised_follow_their_source(client, login_as, departments):
    """Does the owner of an action raised by a review see it, an auditor read it, the
    committee check its effectiveness, and a manager not its source's review?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    owner = factories.make_user(roles=('employee', 'manager'), department='SALES')
    review = make_review(chair)
    _decision, action = services.decide(review, 'training', '督促する。', None, chair, action={
        'title': '未受講者への督促', 'owner': owner,
        'due_on': today_local() + datetime.timedelta(days=5)})
    client.post('/login', data={'email': owner.email, 'password': factories.PASSWORD})
    page = client.get('/corrective-actions/%d' % action.id)
    assert page.status_code == 200 and review.reference in page.text
    assert client.get('/management-reviews/%d' % review.id).status_code == 403
    client.post('/logout')
    login_as('employee', 'auditor', department='AUDIT')
    assert client.get('/corrective-actions/%d' % action.id).status_code == 200
    assert CorrectiveAction.get_by_id(action.id).status == 'open'
