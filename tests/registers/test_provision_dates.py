"""Issue 14 for third-party provision records: the page and the form say "required until" the
law's day and how it was counted, and the form's minimum is that day."""
import datetime
import html

import pytest

from stintranet.registers.models import ProvisionRecord
from tests.ledger.factories import make_entry
from tests.registers.factories import make_provision

D = datetime.date


@pytest.fixture
def manager(login_as, departments):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def form(entry, **overrides):
    data = {'entry': str(entry.id), 'basis': 'consent', 'recipient_name': 'Card Co.',
            'recipient_address': '1-2-3 Marunouchi, Tokyo', 'recipient_representative': '',
            'recipient_country': 'JP', 'provided_on': '2026-07-15', 'provided_until': '',
            'record_case': 'contract', 'recorded_on': '2026-07-15',
            'persons_description': 'Card applicants', 'items': 'Name',
            'person_count': '1', 'consent_evidence': 'Application form', 'note': '',
            'keep_until': ''}
    data.update(overrides)
    return data


def test_page_says_required_until_and_how(client, manager):
    """Provided on 15 July 2026 with the contract as the record: does the page say required
    until 14 July 2027, day 1 being the day of the provision?"""
    record = make_provision(make_entry('SALES'), record_case='contract',
                            provided_on=D(2026, 7, 15), recorded_on=D(2026, 7, 15))
    assert record.keep_until == record.minimum_keep_until == D(2027, 7, 14)
    page = html.unescape(client.get('/registers/provisions/%d' % record.id).text)
    required = page[page.index('id="registers-required-until"'):]
    assert required.startswith('id="registers-required-until">2027-07-14')
    assert 'day 1 = the day of the last provision, 2026-07-15; one year ends on 2027-07-14' \
        in required


@pytest.mark.parametrize('case, until, required, line', [
    ('bulk', '2026-09-30', '2029-09-29', 'day 1 = the day of the last provision, 2026-09-30; '
                                         'three years end on 2029-09-29'),
    ('each', '', '2029-07-15', 'the day of the record, or of a later provision (2026-07-15), '
                               'is not counted: day 1 = 2026-07-16; three years end on '
                               '2029-07-15'),
])
def test_three_year_cases_are_explained(client, manager, case, until, required, line):
    """Are the 3-year cases counted as Art. 21(1)(ii) and (iii) say, and explained?"""
    record = make_provision(make_entry('SALES'), record_case=case, provided_on=D(2026, 7, 15),
                            provided_until=D.fromisoformat(until) if until else None,
                            recorded_on=D(2026, 7, 15))
    assert record.keep_until == D.fromisoformat(required)
    page = html.unescape(client.get('/registers/provisions/%d' % record.id).text)
    assert line in page


def test_form_minimum_is_the_required_day(client, manager):
    """Does the form refuse a keep-until day before 14 July 2027, accept that day, and say
    "required until" with the count when it shows the form again?"""
    entry = make_entry('SALES')
    response = client.post('/registers/provisions/new', data=form(entry,
                                                                   keep_until='2027-07-13'))
    assert response.status_code == 422
    text = html.unescape(response.text)
    assert 'APPI requires this record until 2027-07-14' in text
    hint = text[text.index('id="registers-required-until"'):]
    assert hint.startswith('id="registers-required-until">Required until 2027-07-14: ')
    assert 'day 1 = the day of the last provision, 2026-07-15; one year ends on 2027-07-14' \
        in hint
    response = client.post('/registers/provisions/new', data=form(entry,
                                                                   keep_until='2027-07-14'))
    assert response.status_code == 303
    assert ProvisionRecord.get().keep_until == D(2027, 7, 14)


def test_leap_day_provision(client, manager):
    """Provided on 29 February 2028: is it required until 28 February 2029, the month having
    no 29th?"""
    record = make_provision(make_entry('SALES'), record_case='contract',
                            provided_on=D(2028, 2, 29), recorded_on=D(2028, 2, 29))
    assert record.keep_until == D(2029, 2, 28)
    page = html.unescape(client.get('/registers/provisions/%d' % record.id).text)
    assert '(that month has no day 29: its last day)' in page
