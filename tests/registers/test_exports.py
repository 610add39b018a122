"""Exports of the four registers as CSV and XLSX: filtered, scoped, audit-logged."""
import pytest

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
from tests.ledger.factories import make_entry
from tests.registers.factories import (
    make_asset,
    make_contractor,
    make_provision,
    make_purpose_change,
    manager_of,
)


def asset(department, marker):
    return make_asset(department, description=marker, encrypted=marker.startswith('enc'))


def provision(department, marker):
    return make_provision(make_entry(department), recipient_name=marker)


def notice(department, marker):
    return make_purpose_change(make_entry(department), new_purpose=marker,
                               channel='post' if ' post ' in marker else 'email')


def contractor(department, marker):
    return make_contractor(name=marker)


# path, maker, the column the marker shows in, a filter keeping only the "kept" record,
# its value in the log, an unknown filter value, object type, file name.
REGISTERS = {
    'assets': ('/registers/assets/', asset, 'Description', 'flag=unencrypted',
               {'flag': 'unencrypted'}, 'kind=floppy', 'asset', 'assets-'),
    'provisions': ('/registers/provisions/', provision, 'Recipient', 'q=Kept',
                   {'q': 'Kept'}, 'basis=whim', 'provision_record', 'provision-records-'),
    'purpose-changes': ('/registers/purpose-changes/', notice, 'New purpose', 'channel=email',
                        {'channel': 'email'}, 'channel=fax', 'purpose_change',
                        'purpose-changes-'),
    'contractors': ('/registers/contractors/', contractor, 'Contractor', 'q=Kept',
                    {'q': 'Kept'}, 'country=XX', 'contractor', 'contractors-'),
}
SCOPED = ('assets', 'provisions', 'purpose-changes')


@pytest.fixture
def world(departments):
    """For each register, in SALES: a record kept by the filter and one left out; in HR:
    one the filter would keep."""
    made = {}
    for name, (_, maker, *_rest) in REGISTERS.items():
        # 'enc…' makes an encrypted asset, '… post …' a notice by post: both left out.
        made[name] = {
            'kept': maker('SALES', 'Kept SALES record'),
            'left_out': maker('SALES', 'encrypted post Other record'),
            'hr': maker('HR', 'Kept HR record'),
        }
    return made


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('name', REGISTERS)
def test_export_follows_the_filter(client, login_as, world, name, fmt):
    """Does the committee's export hold the filtered records only, audit-logged with the
    filter, under the register's file name?"""
    path, _, label, query, logged, _, object_type, stem = REGISTERS[name]
    login_as('employee', 'committee', department='LEGAL')
    response = client.get('%sexport.%s?%s' % (path, fmt, query))
    rows = rows_of(response, fmt)
    assert file_name(response).startswith(stem) and file_name(response).endswith('.' + fmt)
    assert sorted(column(rows, label)) == ['Kept HR record', 'Kept SALES record']
    event, details = last_export()
    assert event.object_type == object_type
    assert details['format'] == fmt and details['rows'] == 2
    assert details['filters'] == logged


@pytest.mark.parametrize('fmt', FORMATS)
@pytest.mark.parametrize('name', SCOPED)
def test_manager_exports_their_departments_only(client, world, name, fmt):
    """Does a SALES manager's export leave out HR's records?"""
    path, _, label, *_ = REGISTERS[name]
    user = manager_of('SALES')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    rows = rows_of(client.get('%sexport.%s' % (path, fmt)), fmt)
    assert sorted(column(rows, label)) == ['Kept SALES record', 'encrypted post Other record']
    assert column(rows, 'Department') == ['SALES', 'SALES']


def test_contractors_are_the_companys_but_never_their_contact(client, world):
    """Does a manager's contractor export list every contractor, without the contact?"""
    user = manager_of('HR')
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    response = client.get('/registers/contractors/export.xlsx')
    assert len(rows_of(response, 'xlsx')) == 4
    assert 'contact' not in last_export()[1]['columns']


@pytest.mark.parametrize('name', REGISTERS)
@pytest.mark.parametrize('roles', [('employee',), ('employee', 'customer_center'), ('admin',)])
def test_others_may_not_export(client, login_as, world, name, roles):
    """Is anyone who may not open the registers refused, nothing logged?"""
    login_as(*roles, department='IT')
    for fmt in FORMATS:
        assert client.get('%sexport.%s' % (REGISTERS[name][0], fmt)).status_code == 403
    assert export_events() == []


@pytest.mark.parametrize('name', REGISTERS)
def test_formula_is_neutralised(client, login_as, departments, name):
    """Is a cell that looks like a formula quoted in CSV and text in XLSX?"""
    path, maker, label, *_ = REGISTERS[name]
    maker('SALES', '=HYPERLINK("http://evil.example")')
    login_as('employee', 'auditor', department='AUDIT')
    for fmt in FORMATS:
        rows = rows_of(client.get('%sexport.%s' % (path, fmt)), fmt)
        assert column(rows, label) == ['\'=HYPERLINK("http://evil.example")']


@pytest.mark.parametrize('name', REGISTERS)
def test_bad_filter_is_422(client, login_as, world, name):
    """Is an unknown filter value a 422, never a 500 nor an unfiltered file?"""
    path, *_, bad, _, _ = REGISTERS[name]
    login_as('employee', 'committee', department='LEGAL')
    for fmt in FORMATS:
        assert client.get('%sexport.%s?%s' % (path, fmt, bad)).status_code == 422
    if name in SCOPED:
        assert client.get(path + 'export.csv?department=x').status_code == 422
        assert client.get(path + 'export.xlsx?department=99999999999').status_code == 422
    assert export_events() == []


@pytest.mark.parametrize('name', REGISTERS)
def test_list_links_both_formats_with_the_filter(client, login_as, world, name):
    """Do the list and its htmx rows link CSV and Excel exports carrying the filter?"""
    path, _, _, query, *_ = REGISTERS[name]
    login_as('employee', 'committee', department='LEGAL')
    for headers in ({}, {'HX-Request': 'true'}):
        page = client.get('%s?%s&page=1' % (path, query), headers=headers).text
        for fmt in FORMATS:
            assert 'href="%sexport.%s?%s"' % (path, fmt, query) in page


@pytest.mark.parametrize('name', REGISTERS)
def test_export_is_constant_in_queries(client, login_as, departments, name):
    """Does the export cost the same queries for 2 or 22 records?"""
    path, maker, *_ = REGISTERS[name]
    maker('SALES', 'One')
    maker('HR', 'Two')
    login_as('employee', 'committee', department='LEGAL')
    few = {fmt: queries_of(client, '%sexport.%s' % (path, fmt)) for fmt in FORMATS}
    for n in range(10):
        maker('SALES', 'More %d' % n)
        maker('HR', 'More HR %d' % n)
    assert {fmt: queries_of(client, '%sexport.%s' % (path, fmt)) for fmt in FORMATS} == few
