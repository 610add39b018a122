"""Bad input to the management review: every case a clear 4xx with nothing saved and the
input kept, hidden fields included; never a 500."""
import datetime

import pytest

from stintranet.corrective.models import CorrectiveAction
from stintranet.management.models import ManagementReview, ReviewDecision
from stintranet.timezone import today_local
from tests import factories
from tests.management.factories import make_review
from tests.management.test_views import new_data

HTMX = {'HX-Request': 'true'}
TOMORROW = 'TOMORROW'  # replaced in the test: the office date needs the app


def dated(data):
    tomorrow = (today_local() + datetime.timedelta(days=1)).isoformat()
    return {k: tomorrow if v == TOMORROW else v for k, v in data.items()}


@pytest.mark.parametrize('changes,message', [
    ({'title': ''}, 'This field is required.'),
    ({'title': 'T' * 201}, 'Field cannot be longer than 200 characters.'),
    ({'period_start': 'yesterday'}, 'Enter the date as YYYY-MM-DD.'),
    ({'period_start': '1999-12-31'}, 'Enter a date from 2000-01-01 on.'),
    ({'period_start': TOMORROW}, 'The period cannot start in the future.'),
    ({'period_end': '2020-01-01'}, 'The end of the period cannot be before its start.'),
    ({'period_start': '2020-01-01'}, 'A review covers at most two years.'),
    ({'planned_on': ''}, 'Enter the date as YYYY-MM-DD.'),
    ({'law_changes': 'x' * 10001}, 'Field cannot be longer than 10000 characters.'),
    ({'top_management': 'y' * 201}, 'Field cannot be longer than 200 characters.'),
])
def test_bad_details_are_422_with_the_input_kept(client, signed_in, changes, message):
    """Is each bad detail refused at its field, 422, nothing saved, the rest kept?"""
    response = client.post('/management-reviews/new', data=dated(new_data(**changes)))
    assert response.status_code == 422
    assert message in response.text
    assert '通則編の一部改正。' in response.text or 'law_changes' in changes
    assert not ManagementReview.select().exists()


@pytest.mark.parametrize('version', ['', 'abc', '0', '99999999999999999999'])
def test_a_damaged_or_stale_version_on_edit_is_4xx(client, signed_in, version):
    """Is an edit with a missing, damaged or stale version refused (422 or 409), nothing
    changed?"""
    review = make_review(signed_in)
    response = client.post('/management-reviews/%d/edit' % review.id,
                           data=new_data(title='Changed', version=version))
    assert response.status_code in (409, 422)
    assert ManagementReview.get_by_id(review.id).title != 'Changed'


@pytest.mark.parametrize('url,data', [
    ('hold', {'held_on': TOMORROW}),
    ('hold', {'held_on': 'soon'}),
    ('hold', {'held_on': ''}),
    ('hold', {'version': 'abc'}),
    ('close', {'version': ''}),
    ('inputs', {'version': '-3'}),
])
def test_bad_state_changes_are_4xx(client, signed_in, url, data):
    """Is a meeting in the future, an unreadable date or a damaged version refused, the
    review unchanged?"""
    review = make_review(signed_in)
    data = dict({'version': str(review.version), 'held_on': today_local().isoformat()},
                **data)
    response = client.post('/management-reviews/%d/%s' % (review.id, url), data=dated(data))
    assert 400 <= response.status_code < 500
    assert ManagementReview.get_by_id(review.id).status == 'draft'


def test_holding_needs_the_top_management(client, signed_in):
    """Is a review without the top management refused as held (422), with the reason?"""
    review = make_review(signed_in, top_management='')
    response = client.post('/management-reviews/%d/hold' % review.id, data={
        'version': str(review.version), 'held_on': today_local().isoformat()})
    assert response.status_code == 422
    assert 'Name the top management' in response.text


@pytest.mark.parametrize('changes,message', [
    ({'audits-decision': ''}, 'Write the decision.'),
    ({'audits-action_title': 'Do it', 'audits-action_owner': ''},
     'Choose who owns the action.'),
    ({'audits-action_title': 'Do it', 'audits-action_due': ''},
     'Give the date the action is due by.'),
    ({'audits-action_title': 'Do it', 'audits-action_due': '2001-01-01'},
     'The due date cannot be in the past.'),
    ({'audits-action_owner': '99999999'}, 'Choose one of the options.'),
    ({'audits-action_owner': 'x'}, 'Choose one of the options.'),
    ({'audits-version': 'abc'}, 'This form is incomplete or damaged'),
    ({'audits-action_title': 'A' * 201}, 'Field cannot be longer than 200 characters.'),
])
def test_bad_decisions_are_422_with_the_text_kept(client, signed_in, changes, message):
    """Is a decision without text, an action without owner or due date, a tampered owner or
    version refused at its field, 422, nothing saved, the text kept?"""
    review = make_review(signed_in)
    owner = factories.make_user(department='SALES')
    data = {'audits-decision': '是正を確認する。', 'audits-version': '',
            'audits-action_title': '', 'audits-action_owner': str(owner.id),
            'audits-action_due': (today_local() + datetime.timedelta(days=9)).isoformat()}
    data.update(changes)
    response = client.post('/management-reviews/%d/decisions/audits' % review.id, data=data,
                           headers=HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert '<html' not in response.text
    if data['audits-decision']:
        assert '是正を確認する。' in response.text
    assert not ReviewDecision.select().exists()
    assert not CorrectiveAction.select().exists()


@pytest.mark.parametrize('path', [
    '/management-reviews/99999',
    '/management-reviews/99999999999999999999',
    '/management-reviews/1/decisions/weather',
    '/management-reviews/export.pdf',
])
def test_unknown_things_are_404(client, signed_in, path):
    """Is a review, an input area or an export format that does not exist a 404?"""
    make_review(signed_in)
    method = client.post if '/decisions/' in path else client.get
    assert method(path).status_code == 404


@pytest.mark.parametrize('query', ['?status=lost', '?year=twenty', '?year=1890',
                                   '?page=0', '?page=99999999999999999999'])
def test_bad_list_queries_are_4xx(client, signed_in, query):
    """Is a bad filter a 422 (with the list) and a page out of range a 404, never a 500?"""
    response = client.get('/management-reviews/' + query)
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert 'id="management-rows"' in response.text
        assert client.get('/management-reviews/export.csv' + query).status_code == 422
