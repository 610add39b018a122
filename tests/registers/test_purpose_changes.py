"""Notices of a change of purpose of use."""
import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.registers.models import PurposeChange
from stintranet.timezone import today_local
from tests.ledger.factories import make_entry
from tests.registers.factories import days, make_purpose_change


@pytest.fixture
def manager(login_as, departments):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def form(entry, **overrides):
    data = {'entry': str(entry.id),
            'new_purpose': entry.purposes + ' Recommending products by e-mail.',
            'notified_on': (today_local() - days(2)).isoformat(),
            'effective_on': (today_local() + days(30)).isoformat(), 'channel': 'email',
            'channel_detail': 'Newsletter, May', 'refusals_count': '0', 'refusals_note': ''}
    data.update(overrides)
    return data


def test_manager_records_a_notice_prefilled_from_the_entry(client, manager):
    """Is the previous purpose shown from the entry, and the notice recorded?"""
    entry = make_entry('SALES')
    page = client.get('/registers/purpose-changes/new?entry=%d' % entry.id).text
    assert entry.purposes in page
    response = client.post('/registers/purpose-changes/new', data=form(entry))
    assert response.status_code == 303, response.text
    notice = PurposeChange.get()
    assert notice.entry_id == entry.id and notice.channel == 'email'
    assert AuditEvent.get(AuditEvent.object_type == 'purpose_change').action == 'create'
    assert 'Recommending products' in client.get(response.headers['Location']).text


@pytest.mark.parametrize('overrides,message', [
    ({'refusals_count': '3'}, 'how the refusals were handled'),
    ({'refusals_count': '-1'}, 'whole number from 0'),
    ({'refusals_count': ''}, 'number of refusals'),
    ({'new_purpose': 'SAME'}, 'same as the previous one'),
    ({'notified_on': '2099-12-31'}, 'cannot be in the future'),
    ({'channel': ''}, 'how they were notified'),
])
def test_bad_notice_input_is_422(client, manager, overrides, message):
    """Does each bad value get a clear message and a 422, the input kept?"""
    entry = make_entry('SALES')
    data = form(entry, **overrides)
    if data['new_purpose'] == 'SAME':
        data['new_purpose'] = entry.purposes
    response = client.post('/registers/purpose-changes/new', data=data)
    assert response.status_code == 422 and message in response.text
    assert 'Newsletter, May' in response.text
    assert not PurposeChange.select().exists()


def test_refusals_are_updated_later_and_stale_saves_refused(client, manager):
    """Can the refusals be updated as they come in, a stale save answering 409?"""
    entry = make_entry('SALES')
    notice = make_purpose_change(entry)
    stale = str(notice.version)
    url = '/registers/purpose-changes/%d/edit' % notice.id
    data = form(entry, new_purpose=notice.new_purpose,
                effective_on=notice.effective_on.isoformat(), refusals_count='4',
                refusals_note='Excluded from the mailings.', version=stale)
    assert client.post(url, data=data).status_code == 303
    assert PurposeChange.get_by_id(notice.id).refusals_count == 4
    conflict = client.post(url, data=dict(data, refusals_count='5'))
    assert conflict.status_code == 409 and 'Someone else changed this notice' in conflict.text
    assert PurposeChange.get_by_id(notice.id).refusals_count == 4


def test_other_department_notice_is_404(client, manager):
    """Is another department's notice a 404?"""
    notice = make_purpose_change(make_entry('HR'))
    assert client.get('/registers/purpose-changes/%d' % notice.id).status_code == 404
    assert client.get('/registers/purpose-changes/%d/edit' % notice.id).status_code == 404


def test_notice_list_constant_queries_and_export(client, manager):
    """Is the notice list constant in queries (at most 8), and its CSV export audit-logged?"""
    entry = make_entry('SALES')
    make_purpose_change(entry)

    def count():
        with count_queries() as counter:
            assert client.get('/registers/purpose-changes/').status_code == 200
        return counter.count
    few = count()
    for _ in range(30):
        make_purpose_change(make_entry('SALES'))
    assert count() == few <= 8
    export = client.get('/registers/purpose-changes/export.csv?channel=email')
    assert export.status_code == 200 and export.text.count('\n') == 32
    assert AuditEvent.get(AuditEvent.action == 'export').object_type == 'purpose_change'
    assert client.get('/registers/purpose-changes/export.csv?channel=fax').status_code == 422
