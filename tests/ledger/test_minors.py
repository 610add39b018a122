"""Minors and guardians on the ledger (policy §6): whether the data set may include minors,
how the legal representative's consent is obtained, the health problem when it is not
recorded, and the export and import of both."""
import csv
import io

import pytest

from stintranet.ledger.exporting import COLUMNS
from stintranet.ledger.models import LedgerEntry, LedgerRevision
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import form_data, make_entry


def create(client, manager, **changes):
    department = factories.make_department('SALES')
    data = form_data(department=str(department.id), responsible=str(manager.id),
                     title='School photo orders')
    data.update(changes)
    return client.post('/ledger/new', data=data)


def test_the_form_asks_about_minors_and_explains(client, manager):
    """Does the entry form ask whether minors may be included and how the consent of the
    legal representative is obtained, with labels and the policy's reason?"""
    page = client.get('/ledger/new')
    assert 'for="minors"' in page.text and 'for="guardian_consent"' in page.text
    assert 'for="guardian_consent_note"' in page.text
    assert 'Policy §6' in page.text


def test_an_active_entry_with_minors_needs_the_consent_method(client, manager):
    """Is an active entry that may include minors refused (422) without the consent method,
    and saved with it, shown on its page and in its revision?"""
    refused = create(client, manager, minors='yes', guardian_consent='')
    assert refused.status_code == 422
    assert "Say how the legal representative&#39;s consent is obtained" in refused.text
    assert LedgerEntry.select().count() == 0
    saved = create(client, manager, minors='yes', guardian_consent='written',
                   guardian_consent_note='Parents sign the order form.')
    assert saved.status_code == 303
    entry = LedgerEntry.get(LedgerEntry.title == 'School photo orders')
    assert (entry.minors, entry.guardian_consent) == ('yes', 'written')
    page = client.get('/ledger/%d' % entry.id).text
    assert 'Consent form signed by a parent or guardian' in page
    assert 'Parents sign the order form.' in page
    revision = LedgerRevision.get(LedgerRevision.entry == entry.id)
    assert revision.change_map['minors'] == [None, 'yes']


@pytest.mark.parametrize('changes,message', [
    ({'minors': 'sometimes'}, 'id="minors-error"'),
    ({'minors': 'yes', 'guardian_consent': 'telepathy'}, 'id="guardian_consent-error"'),
    ({'minors': 'yes', 'guardian_consent': 'not_required', 'guardian_consent_note': ''},
     'Explain the consent method chosen.'),
    ({'guardian_consent_note': 'n' * 1001}, 'Field cannot be longer than 1000 characters.'),
])
def test_bad_minors_input_is_422(client, manager, changes, message):
    """Is a tampered or incomplete answer a 422 at the field, nothing saved?"""
    response = create(client, manager, **changes)
    assert response.status_code == 422
    assert message in response.text
    assert LedgerEntry.select().count() == 0


def test_a_draft_without_the_consent_method_shows_in_health(client, manager, departments):
    """Is a draft that may include minors without a consent method listed by ledger health
    (and counted on the home panel), while one with a method and one without minors are
    not?"""
    make_entry(title='Kids club members', status='draft', minors='yes', guardian_consent='')
    make_entry(title='Teen customers', minors='yes', guardian_consent='electronic')
    make_entry(title='Adults only', minors='no')
    page = client.get('/ledger/health?problem=minor_consent')
    assert page.status_code == 200
    assert 'Kids club members' in page.text
    assert 'Teen customers' not in page.text and 'Adults only' not in page.text
    counts = LedgerEntry.health_counts(manager, today_local())
    assert counts['minor_consent'] == 1 and counts['unhealthy'] == 1
    panel = client.get('/home/panels/ledger-health', headers={'HX-Request': 'true'})
    assert '1 entry with minors' in panel.text
    assert 'no consent method of the legal representative' in panel.text


def test_export_and_import_carry_the_minors_columns(client, manager, departments):
    """Does the export hold the minors columns, and an import take the labels as well as
    the codes?"""
    make_entry(title='Teen customers', minors='yes', guardian_consent='electronic',
               guardian_consent_note='Confirmation screen.')
    response = client.get('/ledger/export.csv')
    rows = list(csv.DictReader(io.StringIO(response.data.decode('utf-8-sig'))))
    assert rows[0]['minors'] == 'yes' and rows[0]['guardian_consent'] == 'electronic'
    assert rows[0]['guardian_consent_note'] == 'Confirmation screen.'
    assert {'minors', 'guardian_consent', 'guardian_consent_note'} <= set(COLUMNS)
