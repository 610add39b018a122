"""Notices of a change of purpose tied to the ledger: the previous purposes come from the
entry, the notice precedes its effective date, and on that date the daily job writes the
new purposes into the entry with a revision, unless the notice was withdrawn."""
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.ledger import services as ledger_services
from stintranet.ledger.models import LedgerEntry, LedgerReview, LedgerRevision
from stintranet.notifications.models import Notification
from stintranet.registers import services
from stintranet.registers.models import PurposeChange
from stintranet.timezone import today_local
from tests.ledger.factories import make_entry
from tests.registers.factories import days, make_purpose_change, manager_of

NEW = 'Delivering orders. Recommending related products by e-mail.'


@pytest.fixture
def manager(login_as, departments):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def form(target, **overrides):
    today = today_local()
    data = {'entry': str(target.id), 'new_purpose': NEW,
            'notified_on': (today - days(1)).isoformat(),
            'effective_on': (today + days(30)).isoformat(), 'channel': 'email',
            'channel_detail': 'Newsletter', 'refusals_count': '0', 'refusals_note': ''}
    data.update(overrides)
    return data


def test_previous_purposes_come_from_the_entry(client, manager):
    """Is the previous purpose the entry's (shown as the entry is chosen, htmx), whatever a
    crafted form sends, and is the notice scheduled without changing the entry yet?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    page = client.get('/registers/purpose-changes/new')
    assert 'name="previous_purpose"' not in page.text
    assert 'hx-get="/registers/purpose-changes/current-purposes"' in page.text
    fragment = client.get('/registers/purpose-changes/current-purposes?entry=%d' % entry.id,
                          headers={'HX-Request': 'true'})
    assert '<html' not in fragment.text and 'Delivering orders.' in fragment.text
    assert 'HX-Request' in fragment.headers['Vary']
    response = client.post('/registers/purpose-changes/new',
                           data=form(entry, previous_purpose='Typed over'))
    assert response.status_code == 303, response.text
    notice = PurposeChange.get()
    assert notice.previous_purpose == 'Delivering orders.' and notice.status == 'scheduled'
    assert LedgerEntry.get_by_id(entry.id).purposes == 'Delivering orders.'
    page = client.get(response.headers['Location']).text
    assert 'Takes effect on its date' in page and 'Withdraw' in page


def test_another_departments_entry_shows_nothing(client, manager):
    """Does the fragment show nothing of another department's entry?"""
    entry = make_entry('HR', purposes='Secret HR purposes.')
    fragment = client.get('/registers/purpose-changes/current-purposes?entry=%d' % entry.id,
                          headers={'HX-Request': 'true'})
    assert fragment.status_code == 200 and 'Secret HR purposes' not in fragment.text


@pytest.mark.parametrize('overrides,message', [
    ({'effective_on': ''}, 'YYYY-MM-DD'),
    ({'effective_on': 'NOTIFIED'}, 'must be told before the change takes effect'),
    ({'effective_on': 'BEFORE'}, 'must be told before the change takes effect'),
    ({'new_purpose': 'Delivering orders.'}, 'same as the previous one'),
    ({'entry': ''}, 'Choose the ledger entry'),
])
def test_bad_notice_dates_are_422(client, manager, overrides, message):
    """Is an effective date missing, on or before the notice, or an unchanged purpose, a
    422 with the input kept?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    data = form(entry, **overrides)
    notified = today_local() - days(1)
    if data['effective_on'] == 'NOTIFIED':
        data['effective_on'] = notified.isoformat()
    if data['effective_on'] == 'BEFORE':
        data['effective_on'] = (notified - days(5)).isoformat()
    response = client.post('/registers/purpose-changes/new', data=data)
    assert response.status_code == 422 and message in response.text
    assert 'Newsletter' in response.text and not PurposeChange.select().exists()


def test_the_daily_job_applies_the_notice_on_its_date(app, runner, departments):
    """Does the job leave the entry alone before the date, then write the new purposes
    with a revision and an audit row (the review dates unchanged), once?"""
    manager = manager_of('SALES')
    entry = make_entry('SALES', purposes='Delivering orders.')
    before = LedgerEntry.get_by_id(entry.id)
    reviews = LedgerReview.select().where(LedgerReview.entry == entry.id).count()
    notice = make_purpose_change(entry, actor=manager, new_purpose=NEW,
                                 effective_on=today_local() + days(10))
    early = runner.invoke(args=['jobs', 'run', '--today',
                                (today_local() + days(9)).isoformat()])
    assert '0 notices took effect' in early.output, early.output
    assert LedgerEntry.get_by_id(entry.id).purposes == 'Delivering orders.'

    result = runner.invoke(args=['jobs', 'run', '--today',
                                 (today_local() + days(10)).isoformat()])
    assert '1 notices took effect' in result.output, result.output
    after = LedgerEntry.get_by_id(entry.id)
    assert after.purposes == NEW and after.version == before.version + 1
    assert (after.last_reviewed_on, after.next_review_due) == (before.last_reviewed_on,
                                                               before.next_review_due)
    revision = LedgerRevision.get((LedgerRevision.entry == entry.id)
                                  & (LedgerRevision.version == after.version))
    assert revision.action == 'purpose' and revision.actor_id is None
    assert revision.change_map['purposes'] == ['Delivering orders.', NEW]
    notice = PurposeChange.get_by_id(notice.id)
    assert notice.status == 'applied' and notice.applied_version == after.version
    update = AuditEvent.get((AuditEvent.action == 'update')
                            & (AuditEvent.object_type == 'ledger_entry'))
    assert json.loads(update.details)['notice'] == notice.reference
    assert AuditEvent.select().where(AuditEvent.action == 'apply').count() == 1
    assert Notification.select().where(Notification.user == manager.id).count() == 1
    assert LedgerReview.select().where(LedgerReview.entry == entry.id).count() == reviews

    again = runner.invoke(args=['jobs', 'run', '--today',
                                (today_local() + days(11)).isoformat()])
    assert '0 notices took effect' in again.output
    assert LedgerEntry.get_by_id(entry.id).version == after.version


def test_a_withdrawn_notice_never_applies(client, runner, manager):
    """Does a withdrawal need its reason (422), stop the change (the job leaves the entry
    alone), and a second withdrawal answer 409?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    notice = make_purpose_change(entry, actor=manager, new_purpose=NEW,
                                 effective_on=today_local() + days(5))
    url = '/registers/purpose-changes/%d/withdraw' % notice.id
    missing = client.post(url, data={'reason': ''})
    assert missing.status_code == 422 and 'This field is required' in missing.text
    response = client.post(url, data={'reason': 'The campaign was dropped.'})
    assert response.status_code == 303
    notice = PurposeChange.get_by_id(notice.id)
    assert notice.status == 'withdrawn' and notice.withdrawn_by_id == manager.id
    assert 'The campaign was dropped.' in client.get('/registers/purpose-changes/%d'
                                                     % notice.id).text
    runner.invoke(args=['jobs', 'run', '--today', (today_local() + days(6)).isoformat()])
    assert LedgerEntry.get_by_id(entry.id).purposes == 'Delivering orders.'
    again = client.post(url, data={'reason': 'Twice'})
    assert again.status_code == 409 and 'only a notice waiting for its date' in again.text
    assert AuditEvent.select().where(AuditEvent.action == 'withdraw').count() == 1
    # A new notice for the entry is allowed once the first is withdrawn.
    assert client.post('/registers/purpose-changes/new', data=form(entry)).status_code == 303


def test_one_waiting_notice_per_entry(client, manager):
    """Is a second notice for an entry with one waiting refused (422), naming the first?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    first = make_purpose_change(entry, actor=manager, new_purpose=NEW)
    response = client.post('/registers/purpose-changes/new',
                           data=form(entry, new_purpose='Something else.'))
    assert response.status_code == 422 and first.reference in response.text
    with pytest.raises(services.Refused):
        make_purpose_change(entry, actor=manager, new_purpose='Something else.')


def test_a_past_effective_date_applies_at_once(client, manager):
    """Is a notice recorded after its effective date in effect at once, its purposes and
    dates then fixed while the refusals can still be updated?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    today = today_local()
    response = client.post('/registers/purpose-changes/new', data=form(
        entry, notified_on=(today - days(20)).isoformat(), effective_on=today.isoformat()))
    assert response.status_code == 303
    notice = PurposeChange.get()
    assert notice.status == 'applied' and LedgerEntry.get_by_id(entry.id).purposes == NEW
    edit = client.get('/registers/purpose-changes/%d/edit' % notice.id).text
    assert 'name="new_purpose"' not in edit and 'name="refusals_count"' in edit
    response = client.post('/registers/purpose-changes/%d/edit' % notice.id, data={
        'version': str(notice.version), 'channel': 'email', 'channel_detail': 'Newsletter',
        'refusals_count': '2', 'refusals_note': 'Excluded from the mailings.',
        'new_purpose': 'Crafted'})
    assert response.status_code == 303
    notice = PurposeChange.get_by_id(notice.id)
    assert notice.refusals_count == 2 and notice.new_purpose == NEW


def test_retired_entry_waits(app, runner, departments):
    """Does a notice for a retired entry wait (the job says so) rather than fail?"""
    manager = manager_of('SALES')
    entry = make_entry('SALES', purposes='Delivering orders.')
    make_purpose_change(entry, actor=manager, new_purpose=NEW,
                        effective_on=today_local() + days(1))
    fresh = LedgerEntry.get_by_id(entry.id)
    ledger_services.retire_entry(fresh, expected_version=fresh.version, actor=manager,
                                 reason='Process ended')
    result = runner.invoke(args=['jobs', 'run', '--today',
                                 (today_local() + days(1)).isoformat()])
    assert '1 wait (their entries are retired)' in result.output, result.output
    assert PurposeChange.get().status == 'scheduled'


def test_entry_page_names_the_revision(client, manager):
    """Does the entry's change list name a change made by a notice?"""
    entry = make_entry('SALES', purposes='Delivering orders.')
    make_purpose_change(entry, actor=manager, new_purpose=NEW,
                        notified_on=today_local() - days(3), effective_on=today_local())
    page = client.get('/ledger/%d' % entry.id).text
    assert 'purposes changed by a notice of a change of purpose' in page
