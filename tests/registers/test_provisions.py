"""Third-party provision records: bases, keep-until arithmetic, the daily job's deletion."""
import datetime
import json

import pytest
from playhouse.test_utils import count_queries

from stintranet import legaldates
from stintranet.auditlog.models import AuditEvent
from stintranet.registers.models import ProvisionRecord, add_years, keep_until_minimum
from stintranet.timezone import today_local
from tests.ledger.factories import make_entry
from tests.registers.factories import days, make_provision

D = datetime.date


@pytest.fixture
def manager(login_as, departments):
    return login_as('employee', 'manager', department='SALES', manages=('SALES',))


def form(entry, **overrides):
    today = today_local()
    data = {'entry': str(entry.id), 'basis': 'consent', 'recipient_name': 'Credit Bureau Inc.',
            'recipient_address': '1-2-3 Marunouchi, Tokyo',
            'recipient_representative': 'Taro Yamada', 'recipient_country': 'JP',
            'provided_on': (today - days(3)).isoformat(), 'provided_until': '',
            'record_case': 'each', 'recorded_on': today.isoformat(),
            'persons_description': 'Applicants for credit terms', 'items': 'Name, company',
            'person_count': '12', 'consent_evidence': 'Signed application, clause 7',
            'note': '', 'keep_until': ''}
    data.update(overrides)
    return data


@pytest.mark.parametrize('case,provided_on,until,recorded_on,expected', [
    # One year counting the day of the last provision as day 1 (issue 14).
    ('contract', D(2026, 7, 15), None, D(2026, 7, 15), D(2027, 7, 14)),
    ('contract', D(2024, 4, 1), None, D(2024, 4, 1), D(2025, 3, 31)),
    ('contract', D(2024, 4, 1), D(2024, 9, 30), D(2024, 4, 1), D(2025, 9, 29)),
    ('bulk', D(2023, 1, 10), D(2024, 6, 30), D(2023, 1, 10), D(2027, 6, 29)),
    ('each', D(2024, 5, 1), None, D(2024, 5, 1), D(2027, 5, 1)),
    # "Otherwise three years": from when the record was made, if later than the provision.
    ('each', D(2024, 5, 1), None, D(2024, 6, 15), D(2027, 6, 15)),
    ('contract', D(2024, 2, 29), None, D(2024, 2, 29), D(2025, 2, 28)),
])
def test_keep_until_arithmetic(case, provided_on, until, recorded_on, expected):
    """Is the record required 1 year (goods or services to the person; the last provision
    is day 1) or 3 years?"""
    assert keep_until_minimum(case, provided_on, until, recorded_on) == expected


def test_add_years_handles_leap_days():
    """Does 29 February plus a year land on 28 February?"""
    assert add_years(D(2024, 2, 29), 3) == D(2027, 2, 28)
    assert add_years(D(2024, 2, 29), 4) == D(2028, 2, 29)


def test_manager_records_a_consent_provision(client, manager, departments):
    """Does a manager record a provision whose keep-until date is computed?"""
    entry = make_entry('SALES')
    response = client.post('/registers/provisions/new', data=form(entry, record_case='contract'))
    assert response.status_code == 303, response.text
    record = ProvisionRecord.get()
    provided_on = today_local() - days(3)
    assert record.keep_until == legaldates.provision_record_kept_until(
        'contract', provided_on).deadline == add_years(provided_on, 1) - days(1)
    event = AuditEvent.get(AuditEvent.action == 'create',
                           AuditEvent.object_type == 'provision_record')
    assert 'Credit Bureau' not in event.details
    page = client.get(response.headers['Location']).text
    assert 'Credit Bureau Inc.' in page and record.keep_until.isoformat() in page


def test_keep_until_before_the_provision_is_refused(client, manager, departments):
    """Is a keep-until date before the provision refused with 422, the input kept?"""
    entry = make_entry('SALES')
    today = today_local()
    response = client.post('/registers/provisions/new', data=form(
        entry, keep_until=(today - days(30)).isoformat()))
    assert response.status_code == 422
    assert 'cannot be before the provision' in response.text
    assert 'Credit Bureau Inc.' in response.text and 'Signed application, clause 7' in response.text
    assert not ProvisionRecord.select().exists()


def test_keep_until_shorter_than_appi_is_refused(client, manager, departments):
    """Is a keep-until date shorter than APPI requires refused, naming the minimum?"""
    entry = make_entry('SALES')
    today = today_local()
    response = client.post('/registers/provisions/new', data=form(
        entry, keep_until=(today + days(100)).isoformat()))
    assert response.status_code == 422
    minimum = legaldates.provision_record_kept_until('each', today - days(3), None, today)
    assert 'APPI requires this record until %s' % minimum.deadline.isoformat() in response.text
    longer = client.post('/registers/provisions/new', data=form(
        entry, keep_until=add_years(today, 5).isoformat()))
    assert longer.status_code == 303
    assert ProvisionRecord.get().keep_until == add_years(today, 5)


@pytest.mark.parametrize('basis', ['law', 'outsourcing', 'succession', 'joint_use'])
def test_exempt_bases_keep_a_note(client, manager, departments, basis):
    """Does a basis that needs no record ask for a note and nothing else?"""
    entry = make_entry('SALES')
    bare = form(entry, basis=basis, recipient_address='', persons_description='', items='',
                consent_evidence='', person_count='')
    response = client.post('/registers/provisions/new', data=bare)
    assert response.status_code == 422 and 'keep a note' in response.text
    bare['note'] = 'Tax withholding report (Income Tax Act Art. 226).'
    assert client.post('/registers/provisions/new', data=bare).status_code == 303
    assert ProvisionRecord.get().record_exempt


def test_consent_needs_the_record_items(client, manager, departments):
    """Does a consent provision require the address, persons, items and consent evidence?"""
    entry = make_entry('SALES')
    response = client.post('/registers/provisions/new', data=form(
        entry, recipient_address='', persons_description='', items='', consent_evidence=''))
    assert response.status_code == 422
    for message in ('address', 'whose data', 'items of personal data', 'how consent'):
        assert message in response.text
    assert not ProvisionRecord.select().exists()


@pytest.mark.parametrize('overrides,message', [
    ({'provided_on': '2099-01-01'}, 'cannot be in the future'),
    ({'provided_until': '2001-01-01'}, 'cannot end before it starts'),
    ({'person_count': '0'}, 'whole number from 1'),
    ({'person_count': 'many'}, 'whole number'),
    ({'basis': 'telepathy'}, 'Choose one of the options'),
    ({'record_case': 'forever'}, 'Choose one of the options'),
    ({'provided_on': '1999-12-31'}, 'from 2000-01-01'),
])
def test_bad_provision_input_is_422(client, manager, departments, overrides, message):
    """Does each bad value get a clear message and a 422?"""
    entry = make_entry('SALES')
    response = client.post('/registers/provisions/new', data=form(entry, **overrides))
    assert response.status_code == 422
    assert message in response.text
    assert not ProvisionRecord.select().exists()


def test_entry_of_another_department_is_refused(client, manager, departments):
    """Can a manager record a provision for another department's entry? (No: 422.)"""
    entry = make_entry('HR')
    response = client.post('/registers/provisions/new', data=form(entry))
    assert response.status_code == 422 and 'department you manage' in response.text


def test_other_department_record_is_404(client, manager, departments):
    """Is another department's record a 404, for reading and for editing?"""
    record = make_provision(make_entry('HR'))
    assert client.get('/registers/provisions/%d' % record.id).status_code == 404
    assert client.post('/registers/provisions/%d/edit' % record.id,
                       data={'version': '1'}).status_code == 404


def test_extending_the_period_moves_the_keep_until_date(client, manager, departments):
    """When continuing provision goes on, does the keep-until date follow the last one?"""
    entry = make_entry('SALES')
    today = today_local()
    record = make_provision(entry, record_case='bulk', provided_on=today - days(400),
                            provided_until=today - days(200), recorded_on=today - days(400))
    assert record.keep_until == legaldates.provision_record_kept_until(
        'bulk', today - days(400), today - days(200)).deadline
    page = client.get('/registers/provisions/%d/edit' % record.id)
    assert page.status_code == 200
    response = client.post('/registers/provisions/%d/edit' % record.id, data=form(
        entry, record_case='bulk', provided_on=(today - days(400)).isoformat(),
        provided_until=today.isoformat(), recorded_on=(today - days(400)).isoformat(),
        version=str(record.version)))
    assert response.status_code == 303
    assert ProvisionRecord.get_by_id(record.id).keep_until == legaldates.provision_record_kept_until(
        'bulk', today - days(400), today).deadline
    stale = client.post('/registers/provisions/%d/edit' % record.id, data=form(
        entry, record_case='bulk', version=str(record.version)))
    assert stale.status_code == 409 and 'Someone else changed this record' in stale.text


def test_daily_job_deletes_expired_records(runner, departments):
    """Does ``jobs run --today`` delete records after their keep-until day, once, with an
    audit-log row each?"""
    entry = make_entry('SALES')
    short = make_provision(entry, record_case='contract', provided_on=D(2024, 4, 1),
                           recorded_on=D(2024, 4, 1))
    long = make_provision(entry, record_case='each', provided_on=D(2024, 4, 1),
                          recorded_on=D(2024, 4, 1))
    assert short.keep_until == D(2025, 3, 31) and long.keep_until == D(2027, 4, 1)

    result = runner.invoke(args=['jobs', 'run', '--today', '2025-03-31'])
    assert result.exit_code == 0, result.output
    assert '0 expired provision records deleted' in result.output
    assert ProvisionRecord.select().count() == 2

    result = runner.invoke(args=['jobs', 'run', '--today', '2025-04-01'])
    assert '1 expired provision records deleted' in result.output
    assert [r.id for r in ProvisionRecord.select()] == [long.id]
    deletions = list(AuditEvent.select().where(AuditEvent.action == 'delete',
                                               AuditEvent.object_type == 'provision_record'))
    assert [e.object_id for e in deletions] == [str(short.id)]
    details = json.loads(deletions[0].details)
    assert details['keep_until'] == '2025-03-31' and details['reason'] == 'retention period ended'

    again = runner.invoke(args=['jobs', 'run', '--today', '2025-04-01'])
    assert '0 expired provision records deleted' in again.output
    assert AuditEvent.select().where(AuditEvent.action == 'delete').count() == 1

    runner.invoke(args=['jobs', 'run', '--today', '2027-04-02'])
    assert not ProvisionRecord.select().exists()
    assert runner.invoke(args=['audit', 'verify']).exit_code == 0


def test_basis_hint_fragment(client, manager, departments):
    """Does the htmx hint say which bases need no record?"""
    response = client.get('/registers/provisions/basis?basis=joint_use',
                          headers={'HX-Request': 'true'})
    assert response.status_code == 200 and '<html' not in response.text
    assert 'No provision record is required' in response.text
    assert 'HX-Request' in response.headers['Vary']
    assert 'requires a record' in client.get('/registers/provisions/basis?basis=consent').text
    assert client.get('/registers/provisions/basis?basis=bogus').status_code == 400


def test_provision_list_htmx_and_constant_queries(client, manager, departments):
    """Is the list one fragment for htmx and constant in queries (at most 8) for 2 and 40
    records?"""
    entry = make_entry('SALES')
    for _ in range(2):
        make_provision(entry)

    def count():
        with count_queries() as counter:
            assert client.get('/registers/provisions/').status_code == 200
        return counter.count
    few = count()
    other = make_entry('SALES')
    for n in range(38):
        make_provision(entry if n % 2 else other)
    assert count() == few <= 8
    fragment = client.get('/registers/provisions/?q=Recipient', headers={'HX-Request': 'true'})
    assert '<html' not in fragment.text and 'id="registers-provision-rows"' in fragment.text
    assert 'HX-Request' in fragment.headers['Vary']
    assert client.get('/registers/provisions/?department=999999').status_code == 422
