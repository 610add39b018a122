"""The entry form helps as it is filled in: a searchable country picker, and what the
foreign storage, the special-care override and the persons band mean (htmx fragments);
the change list numbers each change by its version."""
import re

import pytest

from stintranet.ledger import services
from stintranet.ledger.models import LedgerEntry
from tests import factories
from tests.ledger.factories import form_data, make_entry

HX = {'HX-Request': 'true'}


def create(client, manager, **changes):
    department = factories.make_department('SALES')
    return client.post('/ledger/new', data=form_data(
        department=str(department.id), responsible=str(manager.id), title='Web shop orders',
        **changes))


def test_country_picker_is_a_searchable_list(client, manager):
    """Is the storage country a labelled text input with a datalist of the countries (type
    to filter, by keyboard, and plain text without JavaScript)?"""
    page = client.get('/ledger/new').text
    field = re.search(r'<input[^>]*name="storage_country"[^>]*>', page).group(0)
    assert 'list="storage_country-options"' in field and 'type="text"' in field
    assert 'value="Japan (JP)"' in field
    assert '<label for="storage_country">' in page
    datalist = re.search(r'<datalist id="storage_country-options">(.*?)</datalist>', page,
                         re.S).group(1)
    assert datalist.count('<option') > 200 and '<option value="Singapore (SG)">' in datalist


@pytest.mark.parametrize('typed', ['Singapore (SG)', 'sg', 'singapore', ' Singapore '])
def test_country_is_read_from_what_was_typed(client, manager, typed):
    """Is the country read from the suggestion, its code or its name?"""
    response = create(client, manager, storage_country=typed,
                      foreign_note='PDPA; the provider is ISO 27001 certified.')
    assert response.status_code == 303, response.text
    assert LedgerEntry.get(LedgerEntry.title == 'Web shop orders').storage_country == 'SG'


def test_an_unknown_country_is_422_with_the_text_kept(client, manager):
    """Is a country that is not in the list a 422 with the typed text kept?"""
    response = create(client, manager, storage_country='Atlantis')
    assert response.status_code == 422
    assert 'Choose a country from the list.' in response.text
    assert 'value="Atlantis"' in response.text
    assert 'is not a country of the list' in response.text
    assert not LedgerEntry.select().exists()


def test_country_explanation_follows_the_choice(client, manager):
    """Does the fragment say that storage abroad needs the note, as the country changes?"""
    abroad = client.get('/ledger/explain/country?storage_country=Singapore+(SG)', headers=HX)
    assert abroad.status_code == 200 and '<html' not in abroad.text
    assert 'Stored in Singapore, outside Japan' in abroad.text
    assert 'HX-Request' in abroad.headers['Vary']
    home = client.get('/ledger/explain/country?storage_country=JP', headers=HX).text
    assert 'Stored in Japan' in home
    assert 'hx-trigger="change from:#storage_country"' in home


def test_special_care_explanation(client, manager):
    """Does the fragment name the special-care items, and say when an override needs its
    reason or is not needed?"""
    derived = client.get('/ledger/explain/special_care?items=name&items=health',
                         headers=HX).text
    assert 'special-care-required' in derived and 'Health information' in derived
    plain = client.get('/ledger/explain/special_care?items=name', headers=HX).text
    assert 'None of the items ticked is special-care-required' in plain
    against = client.get('/ledger/explain/special_care?items=name&special_care_override=yes',
                         headers=HX).text
    assert 'overridden to “special-care-required” against the items' in against
    assert 'Give the reason below.' in against
    same = client.get('/ledger/explain/special_care?items=health&special_care_override=yes',
                      headers=HX).text
    assert '“Follow the items” is enough' in same


def test_persons_explanation(client, manager):
    """Does the fragment flag a band that disagrees with the estimate, derive the band
    from an estimate alone, and say when a leak of the set would be reportable?"""
    mismatch = client.get('/ledger/explain/persons?person_band=1&person_estimate=2500',
                          headers=HX).text
    assert 'is in the band “1,000 to 9,999”, not “Fewer than 100”' in mismatch
    alone = client.get('/ledger/explain/persons?person_estimate=50', headers=HX).text
    assert 'the band “Fewer than 100” follows from it' in alone
    assert 'reportable' not in alone
    large = client.get('/ledger/explain/persons?person_band=4', headers=HX).text
    assert 'reportable to the PPC' in large


def test_the_form_holds_the_explanations_without_javascript(client, manager):
    """Are the explanations in the page itself (filled from the entry being edited)?"""
    entry = make_entry('SALES', storage_country='SG', foreign_note='PDPA.',
                       items=['name', 'health'], person_band=4)
    page = client.get('/ledger/%d/edit' % entry.id).text
    for fragment in ('ledger-explain-country', 'ledger-explain-special-care',
                     'ledger-explain-persons'):
        assert 'id="%s"' % fragment in page
    assert 'Stored in Singapore, outside Japan' in page
    assert 'make this entry special-care-required' in page


@pytest.mark.parametrize('path', ['/ledger/explain/country', '/ledger/explain/nothing'])
def test_explanations_are_for_managers(client, login_as, path):
    """Is an explanation a 403 for an employee and an unknown one a 404?"""
    login_as('employee')
    assert client.get(path).status_code == 403


def test_unknown_explanation_is_404(client, manager):
    """Is an unknown part a 404?"""
    assert client.get('/ledger/explain/nothing').status_code == 404


def test_changes_are_numbered_by_their_version(client, manager):
    """Does each change carry its version number as its list number (not a count)?"""
    entry = make_entry('SALES')
    fresh = LedgerEntry.get_by_id(entry.id)
    services.retire_entry(fresh, expected_version=fresh.version, actor=manager, reason='Ended')
    page = client.get('/ledger/%d' % entry.id).text
    items = re.findall(r'<li value="(\d+)">\s*<p><strong>Version (\d+)</strong>', page)
    assert items and all(number == version for number, version in items)
    assert ' reversed' not in re.search(r'<ol class="ledger-revisions"[^>]*>', page).group(0)
