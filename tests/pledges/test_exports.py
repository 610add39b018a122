"""Export of everyone's signature status, as CSV and XLSX."""
import pytest

from stintranet.pledges import services
from tests import factories
from tests.exporting import (
    FORMATS,
    column,
    export_events,
    file_name,
    last_export,
    queries_of,
    rows_of,
)
from tests.pledges.test_pledges import publish


@pytest.fixture
def signed():
    """Version 1; in SALES one person signed it and one did not; in HR one signed."""
    version = publish()
    people = {'sales_signed': factories.make_user(department='SALES', name='Sato Signed'),
              'sales_not': factories.make_user(department='SALES', name='=Suzuki Unsigned'),
              'hr_signed': factories.make_user(department='HR', name='Hara Signed')}
    for key in ('sales_signed', 'hr_signed'):
        services.sign(people[key], 1, version.text_sha256, people[key].name)
    return version, people


@pytest.mark.parametrize('fmt', FORMATS)
def test_committee_exports_everyone(client, login_as, signed, fmt):
    """Does the committee's export list everyone with their signature, audit-logged?"""
    version, people = signed
    login_as('employee', 'committee', department='LEGAL', name='Chair Person')
    response = client.get('/pledges/compliance.%s' % fmt)
    rows = rows_of(response, fmt)
    assert file_name(response).startswith('pledge-signatures-')
    status = dict(zip(column(rows, 'email'), column(rows, 'signed'), strict=True))
    assert status[people['sales_signed'].email] == 'yes'
    assert status[people['sales_not'].email] == 'no'
    assert status[people['hr_signed'].email] == 'yes'
    hashes = dict(zip(column(rows, 'email'), column(rows, 'text_sha256'), strict=True))
    assert hashes[people['hr_signed'].email] == version.text_sha256
    event, details = last_export()
    assert event.object_type == 'pledge_compliance'
    assert details['format'] == fmt and details['version'] == 1
    assert details['rows'] == len(rows) - 1


@pytest.mark.parametrize('fmt', FORMATS)
def test_manager_exports_their_departments_only(client, login_as, signed, fmt):
    """Does a SALES manager's export leave out HR?"""
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    rows = rows_of(client.get('/pledges/compliance.%s' % fmt), fmt)
    assert set(column(rows, 'department_code')) == {'SALES'}
    assert 'Hara Signed' not in column(rows, 'name')


def test_formula_is_neutralised(client, login_as, signed):
    """Is a name that looks like a formula quoted in CSV and text in XLSX?"""
    login_as('employee', 'auditor', department='AUDIT')
    for fmt in FORMATS:
        assert "'=Suzuki Unsigned" in column(rows_of(client.get('/pledges/compliance.%s' % fmt),
                                                     fmt), 'name')


@pytest.mark.parametrize('roles', [('employee',), ('employee', 'customer_center'), ('admin',)])
def test_others_may_not_export(client, login_as, signed, roles):
    """Is anyone without a compliance role refused, nothing logged?"""
    login_as(*roles, department='IT')
    for fmt in FORMATS:
        assert client.get('/pledges/compliance.%s' % fmt).status_code == 403
    assert export_events() == []


def test_odd_input_is_never_a_500(client, login_as, signed):
    """Are an unknown format and stray query arguments answered without a 500?"""
    login_as('employee', 'committee', department='LEGAL')
    assert client.get('/pledges/compliance.pdf').status_code == 404
    assert client.get('/pledges/compliance.csv?page=x&department=%00').status_code == 400
    assert client.get('/pledges/compliance.csv?page=x').status_code == 200


def test_export_without_a_version(client, login_as):
    """Does the export work before any pledge is published (everyone unsigned)?"""
    factories.make_user(department='SALES')
    login_as('employee', 'committee', department='LEGAL')
    rows = rows_of(client.get('/pledges/compliance.xlsx'), 'xlsx')
    assert set(column(rows, 'signed')) == {'no'}


def test_page_links_both_formats(client, login_as, signed):
    """Does the compliance page link the CSV and the Excel export?"""
    login_as('employee', 'committee', department='LEGAL')
    page = client.get('/pledges/compliance').text
    assert 'href="/pledges/compliance.csv"' in page and 'href="/pledges/compliance.xlsx"' in page


def test_export_is_constant_in_queries(client, login_as, signed):
    """Does the export cost the same queries for 4 or 34 people?"""
    version, _ = signed
    login_as('employee', 'committee', department='LEGAL')
    few = {fmt: queries_of(client, '/pledges/compliance.%s' % fmt) for fmt in FORMATS}
    for _n in range(15):
        factories.make_user(department='HR')
        signer = factories.make_user(department='SALES')
        services.sign(signer, 1, version.text_sha256, signer.name)
    assert {fmt: queries_of(client, '/pledges/compliance.%s' % fmt) for fmt in FORMATS} == few
