"""Ledger pages: list, search, create, edit, conflicts, reviews, retirement, health, print."""
import json
import re

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.ledger import services
from stintranet.ledger.models import LedgerEntry, LedgerReview, LedgerRevision, add_months
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import entry_data, form_data, make_entry


def test_list_shows_own_departments_only(client, manager, sales_entry, hr_entry):
    """Does a manager's list hold their departments' entries and nothing else?"""
    response = client.get('/ledger/')
    assert response.status_code == 200
    assert sales_entry.title in response.text
    assert hr_entry.title not in response.text


def test_active_search_returns_the_rows_fragment(client, manager, departments):
    """Does typing in the search box (htmx) get only the rows, marked Vary: HX-Request?"""
    make_entry(title='Web shop customers')
    make_entry(title='Trade fair visitors')
    response = client.get('/ledger/?q=trade', headers={'HX-Request': 'true',
                                                       'HX-Target': 'ledger-rows'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert 'id="ledger-rows"' in response.text
    assert 'Trade fair visitors' in response.text and 'Web shop customers' not in response.text
    assert 'HX-Request' in response.headers['Vary']
    full = client.get('/ledger/?q=trade')
    assert '<html' in full.text and 'HX-Request' in full.headers['Vary']


def test_search_takes_wildcards_and_odd_references_literally(client, manager, departments):
    """Do "%", "_" and a reference too large for the database find nothing, not a 500?"""
    make_entry(title='Web shop customers')
    for q in ('%', '_', 'LE-99999999999999999999', 'LE-0', 'le-٣'):
        response = client.get('/ledger/', query_string={'q': q})
        assert response.status_code == 200, q
        assert 'Web shop customers' not in response.text, q


def test_list_pages_fifty_at_a_time_and_sorts(client, manager, departments):
    """Are 60 entries split 50 + 10, and does a column sort reverse the order?"""
    for n in range(60):
        make_entry(title='Process %02d' % n)
    first = client.get('/ledger/?sort=title')
    assert first.text.count('href="/ledger/') >= 100  # two links per row
    assert 'Process 00' in first.text and 'Process 50' not in first.text
    second = client.get('/ledger/?sort=title&page=2')
    assert 'Process 50' in second.text and 'Process 59' in second.text
    reverse = client.get('/ledger/?sort=-title')
    assert reverse.text.index('Process 59') < reverse.text.index('Process 58')
    assert 'aria-sort="descending"' in reverse.text
    assert client.get('/ledger/?page=9').status_code == 404
    assert client.get('/ledger/?sort=password_hash').status_code == 200  # whitelisted


@pytest.mark.parametrize('args', ['status=bogus', 'review=someday', 'item=telepathy',
                                  'department=999999', 'q=' + 'x' * 101])
def test_bad_filters_are_422(client, manager, args):
    """Does a filter value that is not offered get 422 and a message, not a 500?"""
    response = client.get('/ledger/?' + args)
    assert response.status_code == 422
    assert 'Please correct the fields marked below' in response.text
    fragment = client.get('/ledger/?' + args, headers={'HX-Request': 'true'})
    assert fragment.status_code == 422
    assert 'Some filters were not understood and were ignored' in fragment.text


def test_create_entry(client, manager):
    """Does a manager create an entry and land on it, with revision and audit rows?"""
    department = factories.make_department('SALES')
    response = client.post('/ledger/new', data=form_data(
        department=str(department.id), responsible=str(manager.id),
        title='Web shop orders', items=['name', 'address', 'health']))
    assert response.status_code == 303, response.text
    entry = LedgerEntry.get(LedgerEntry.title == 'Web shop orders')
    assert response.headers['Location'] == '/ledger/%d' % entry.id
    assert entry.special_care is True
    assert entry.item_codes == ['address', 'health', 'name']
    assert entry.storage_location == 'Order database on server db01.'
    assert entry.next_review_due == add_months(today_local(), 12)
    assert LedgerRevision.select().where(LedgerRevision.entry == entry.id).count() == 1
    assert AuditEvent.select().where((AuditEvent.action == 'create')
                                     & (AuditEvent.object_type == 'ledger_entry')).count() == 1


BAD_INPUT = [
    ({'items': ['name', 'telepathy']}, 'Unknown item: telepathy'),
    ({'use_period_months': '60', 'retention_period_months': '12'},
     'The retention period (12 months) is shorter than the use period (60 months).'),
    ({'person_band': '1', 'person_estimate': '1500'},
     'An estimate of 1,500 persons is in the band “1,000 to 9,999”, not “Fewer than 100”.'),
    ({'title': 'T' * 201}, 'Field cannot be longer than 200 characters.'),
    ({'storage_location': 'L' * 2001}, 'Field cannot be longer than 2000 characters.'),
    ({'free_items': 'F' * 101}, 'Each item may have at most 100 characters'),
    ({'free_items': 'Address'}, 'is in the list of items: tick it there.'),
    ({'storage_location': ''}, 'Required for an active entry.'),
    ({'storage_country': 'SG', 'foreign_note': ''},
     'Storage in Singapore needs the note on that country'),
    ({'storage_country': 'XX'}, 'Choose a country from the list.'),
    ({'category': 'aliens'}, 'is not one of the choices.'),
    ({'person_estimate': 'lots'}, 'Not a valid integer value.'),
    ({'use_period_months': '0'}, 'Enter a number of months from 1 to 1200.'),
    ({'special_care_override': 'yes', 'special_care_reason': ''},
     'Give the reason for overriding the flag.'),
    ({'outsourced': 'y', 'outsourcing_note': ''}, 'Name the contractors'),
    ({'security_measures': ['moat']}, 'Unknown security measure: moat.'),
    ({'responsible': '999999'}, 'Choose an active account from the list.'),
]


@pytest.mark.parametrize('changes,message', BAD_INPUT, ids=[m[:30] for _c, m in BAD_INPUT])
def test_bad_input_is_422_with_the_input_kept(client, manager, changes, message):
    """Is each bad value refused with a message at the field, 422, nothing saved, input kept?"""
    department = factories.make_department('SALES')
    data = form_data(department=str(department.id), responsible=str(manager.id),
                     title='Kept title', purposes='Kept purposes text.')
    data.update(changes)
    response = client.post('/ledger/new', data=data)
    assert response.status_code == 422
    assert message in response.text
    assert 'class="error"' in response.text
    assert LedgerEntry.select().count() == 0
    if 'title' not in changes:
        assert 'value="Kept title"' in response.text
    assert 'Kept purposes text.' in response.text


def test_another_departments_entry_cannot_be_created(client, manager):
    """Can a manager file an entry under a department they do not manage?"""
    hr = factories.make_department('HR')
    response = client.post('/ledger/new', data=form_data(department=str(hr.id),
                                                         responsible=str(manager.id)))
    assert response.status_code == 422
    assert 'Choose one of the departments you manage.' in response.text
    assert LedgerEntry.select().count() == 0


def test_draft_may_be_incomplete(client, manager):
    """Can a manager save an incomplete draft, which the health view then lists?"""
    department = factories.make_department('SALES')
    response = client.post('/ledger/new', data={
        'department': str(department.id), 'title': 'Half-written', 'status': 'draft',
        'storage_country': 'JP'})
    assert response.status_code == 303, response.text
    health = client.get('/ledger/health')
    assert 'Half-written' in health.text and 'Missing:' in health.text


def test_entry_page_records_a_read_with_field_names_only(client, manager, sales_entry):
    """Is opening an entry that shows encrypted fields in the audit log, without values?"""
    response = client.get('/ledger/%d' % sales_entry.id)
    assert response.status_code == 200
    assert 'Order database on server db01' in response.text
    event = AuditEvent.select().where(AuditEvent.action == 'read').get()
    details = json.loads(event.details)
    assert 'storage_location' in details['fields']
    assert event.object_id == str(sales_entry.id) and event.actor_id == manager.id
    assert 'db01' not in event.details


def test_edit_saves_and_shows_the_revision(client, manager, sales_entry):
    """Does an edit show up as a revision (who, which field, old -> new)?"""
    old_title = sales_entry.title
    form = client.get('/ledger/%d/edit' % sales_entry.id)
    assert form.status_code == 200
    assert 'name="version" type="hidden" value="1"' in form.text
    response = client.post('/ledger/%d/edit' % sales_entry.id, data=form_data(
        department=str(sales_entry.department_id), responsible=str(manager.id),
        title='Renamed orders', version='1'))
    assert response.status_code == 303
    page = client.get('/ledger/%d' % sales_entry.id).text
    assert 'Version 2' in page and manager.name in page
    assert old_title in page and 'Renamed orders' in page
    entry = LedgerEntry.get_by_id(sales_entry.id)
    assert entry.version == 2 and entry.last_reviewed_on == today_local()
    assert LedgerReview.select().where((LedgerReview.entry == entry.id)
                                       & (LedgerReview.kind == 'edited')).count() == 1


def test_stale_edit_is_409_with_the_other_persons_changes(client, manager, sales_entry):
    """Does a save over someone else's newer change get 409, the form again, and their
    change, instead of silently overwriting it?"""
    other = factories.make_user(roles=('employee', 'manager'), department='SALES',
                                name='Kenta Other')
    services.update_entry(sales_entry, entry_data(
        sales_entry.department, other, title='Their title',
        storage_location='Their new server'), expected_version=1, actor=other)
    mine = form_data(department=str(sales_entry.department_id), responsible=str(manager.id),
                     title='My title', version='1')
    response = client.post('/ledger/%d/edit' % sales_entry.id, data=mine)
    assert response.status_code == 409
    text = response.text
    assert 'Someone else changed this entry' in text
    assert 'Kenta Other' in text
    assert 'Their title' in text and 'Their new server' in text
    assert 'value="My title"' in text  # the user's input is kept
    assert 'name="version" type="hidden" value="2"' in text
    assert LedgerEntry.get_by_id(sales_entry.id).title == 'Their title'
    again = client.post('/ledger/%d/edit' % sales_entry.id, data=dict(mine, version='2'))
    assert again.status_code == 303
    assert LedgerEntry.get_by_id(sales_entry.id).title == 'My title'


def test_tampered_version_is_400(client, manager, sales_entry):
    """Is a form with a missing or forged version refused without saving?"""
    data = form_data(department=str(sales_entry.department_id), responsible=str(manager.id),
                     title='Forged', version='abc')
    assert client.post('/ledger/%d/edit' % sales_entry.id, data=data).status_code == 400
    assert LedgerEntry.get_by_id(sales_entry.id).title != 'Forged'


def test_bad_edit_is_422_and_keeps_input(client, manager, sales_entry):
    """Does an edit with bad input keep the typed values and change nothing?"""
    data = form_data(department=str(sales_entry.department_id), responsible=str(manager.id),
                     title='Typed title', use_period_months='24',
                     retention_period_months='6', version='1')
    response = client.post('/ledger/%d/edit' % sales_entry.id, data=data)
    assert response.status_code == 422
    assert 'value="Typed title"' in response.text
    assert LedgerEntry.get_by_id(sales_entry.id).version == 1


def test_review_moves_the_next_review_date(client, manager, departments):
    """Does "reviewed, still accurate" move the next review 12 months on?"""
    entry = make_entry(last_reviewed_on=add_months(today_local(), -14),
                       next_review_due=add_months(today_local(), -2))
    response = client.post('/ledger/%d/review' % entry.id,
                           data={'note': 'Checked with the order desk.', 'version': '1'})
    assert response.status_code == 303
    entry = LedgerEntry.get_by_id(entry.id)
    assert entry.next_review_due == add_months(today_local(), 12)
    review = LedgerReview.get((LedgerReview.entry == entry.id)
                              & (LedgerReview.kind == 'confirmed'))
    assert review.note == 'Checked with the order desk.' and review.reviewer_id == manager.id
    assert AuditEvent.select().where(AuditEvent.action == 'review').count() == 1
    stale = client.post('/ledger/%d/review' % entry.id, data={'note': '', 'version': '1'})
    assert stale.status_code == 409
    long_note = client.post('/ledger/%d/review' % entry.id,
                            data={'note': 'n' * 1001, 'version': str(entry.version)})
    assert long_note.status_code == 422


def test_committee_approves_a_review(client, login_as, departments):
    """Can the committee approve a manager's review, but not its own?"""
    reviewer = factories.make_user(roles=('employee', 'manager'), department='SALES')
    entry = make_entry(responsible=reviewer)
    services.review_entry(entry, expected_version=1, actor=reviewer, note='')
    review = LedgerReview.get(LedgerReview.kind == 'confirmed')
    committee = login_as('employee', 'committee', department='LEGAL')
    page = client.get('/ledger/%d' % entry.id)
    assert 'Approve the review of' in page.text
    response = client.post('/ledger/%d/reviews/%d/approve' % (entry.id, review.id))
    assert response.status_code == 303
    review = LedgerReview.get_by_id(review.id)
    assert review.approved_by_id == committee.id and review.approved_at is not None
    assert client.post('/ledger/%d/reviews/999999/approve' % entry.id).status_code == 404


def test_retire_and_reinstate(client, manager, sales_entry):
    """Is an entry retired with a reason (never deleted), read-only, and reinstatable?"""
    missing = client.post('/ledger/%d/retire' % sales_entry.id, data={'version': '1'})
    assert missing.status_code == 422 and 'Say why the entry is retired.' in missing.text
    response = client.post('/ledger/%d/retire' % sales_entry.id,
                           data={'reason': 'Process ended.', 'version': '1'})
    assert response.status_code == 303
    entry = LedgerEntry.get_by_id(sales_entry.id)
    assert entry.status == 'retired' and entry.retired_reason == 'Process ended.'
    assert sales_entry.title not in client.get('/ledger/').text
    assert sales_entry.title in client.get('/ledger/?status=all').text
    edit = client.get('/ledger/%d/edit' % sales_entry.id)
    assert edit.status_code == 303
    back = client.post('/ledger/%d/reinstate' % sales_entry.id, data={'version': '2'})
    assert back.status_code == 303
    assert LedgerEntry.get_by_id(sales_entry.id).status == 'draft'


def test_print_view(client, manager, sales_entry):
    """Does the print view show every field with the approval boxes, and record the read?"""
    response = client.get('/ledger/%d/print' % sales_entry.id)
    assert response.status_code == 200
    for text in ('個人情報管理台帳', sales_entry.reference, 'Order database on server db01',
                 'Retention period (months)', '承認', 'Persons with access rights'):
        assert text in response.text
    assert 'style=' not in response.text and '<script' not in response.text
    event = AuditEvent.select().where(AuditEvent.action == 'read').get()
    assert json.loads(event.details)['view'] == 'print'


def test_health_page(client, login_as, departments):
    """Does the committee's health view list the problems and filter by one?"""
    make_entry(title='All good')
    make_entry(title='Late one', last_reviewed_on=add_months(today_local(), -13),
               next_review_due=add_months(today_local(), -1))
    make_entry(title='Abroad without note', storage_country='US', status='draft')
    login_as('employee', 'committee', department='LEGAL')
    page = client.get('/ledger/health')
    assert page.status_code == 200
    assert 'Late one' in page.text and 'Abroad without note' in page.text
    assert 'All good' not in page.text
    assert 'Stored in United States without the note' in page.text
    only = client.get('/ledger/health?problem=overdue')
    assert 'Late one' in only.text and 'Abroad without note' not in only.text
    assert client.get('/ledger/health?problem=bogus').status_code == 422


def test_home_panel_counts_reviews(client, manager, departments):
    """Does a manager's home page show overdue and due reviews linking to the list?"""
    make_entry(last_reviewed_on=add_months(today_local(), -13),
               next_review_due=add_months(today_local(), -1))
    page = client.get('/home/panels/ledger-health')
    assert 'Ledger health' in page.text
    assert re.search(r'href="/ledger/\?review=overdue">1 review overdue', page.text)


def test_pages_have_labels_and_no_inline_script(client, manager, sales_entry):
    """Does every input of the ledger pages have a label, with no inline script or style?"""
    for url in ('/ledger/', '/ledger/new', '/ledger/%d/edit' % sales_entry.id,
                '/ledger/%d' % sales_entry.id, '/ledger/import', '/ledger/health'):
        text = client.get(url).text
        assert '<script>' not in text and ' style=' not in text and ' onclick' not in text
        ids = re.findall(r'<(?:input|select|textarea)\b(?![^>]*type="hidden")[^>]*\bid="([^"]+)"',
                         text)
        for field_id in ids:
            assert 'for="%s"' % field_id in text, (url, field_id)
