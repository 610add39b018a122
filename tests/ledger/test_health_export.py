"""Export of the ledger health list: the problem filter, departments, no encrypted field."""
import pytest

from stintranet.ledger.models import add_months
from stintranet.timezone import today_local
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


def overdue(**overrides):
    return dict(last_reviewed_on=add_months(today_local(), -13),
                next_review_due=add_months(today_local(), -1), **overrides)


@pytest.fixture
def entries(departments):
    responsible = factories.make_user(roles=('employee', 'manager'), department='SALES',
                                      name='Kenji Mori')
    return {
        'good': make_entry(title='All good'),
        'late': make_entry(title='Late one', responsible=responsible,
                           storage_location='Secret cabinet S-7', **overdue()),
        'abroad': make_entry(title='Abroad without note', storage_country='US',
                             status='draft'),
        'hr': make_entry('HR', title='=HR late one', **overdue()),
        'draft': make_entry(title='Half-written', status='draft', purposes='', items=[]),
    }


@pytest.mark.parametrize('fmt', FORMATS)
def test_committee_exports_every_problem(client, login_as, entries, fmt):
    """Does the committee's export hold every entry that needs attention, worded as the
    page words the problems, and get audit-logged?"""
    login_as('employee', 'committee', department='LEGAL')
    response = client.get('/ledger/health/export.%s' % fmt)
    rows = rows_of(response, fmt)
    assert file_name(response).startswith('ledger-health-')
    assert rows[0] == ['Ref.', 'Business process', 'Section', 'Status', 'Responsible',
                       'Problems']
    titles = column(rows, 'Business process')
    assert sorted(titles) == sorted(["'=HR late one", 'Late one', 'Abroad without note',
                                     'Half-written'])
    problems = dict(zip(titles, column(rows, 'Problems'), strict=True))
    assert problems['Late one'].startswith('Review overdue since ')
    assert problems['Abroad without note'] == (
        'Stored in United States without the note on its regime and the measures')
    assert problems['Half-written'].startswith('Missing: ')
    assert dict(zip(titles, column(rows, 'Responsible'), strict=True))['Late one'] == 'Kenji Mori'
    assert b'Secret cabinet' not in response.data
    event, details = last_export()
    assert event.object_type == 'ledger_entry'
    assert details['report'] == 'ledger-health' and details['rows'] == 4
    assert details['filters'] == {}


@pytest.mark.parametrize('fmt', FORMATS)
def test_problem_filter_and_manager_scope(client, manager, entries, fmt):
    """Does a SALES manager's export of overdue reviews hold SALES's overdue entry only?"""
    rows = rows_of(client.get('/ledger/health/export.%s?problem=overdue' % fmt), fmt)
    assert column(rows, 'Business process') == ['Late one']
    assert column(rows, 'Section') == ['SALES']
    assert last_export()[1]['filters'] == {'problem': 'overdue'}


def test_formula_is_neutralised(client, login_as, entries):
    """Is a title that looks like a formula quoted in the CSV?"""
    login_as('employee', 'auditor', department='AUDIT')
    text = client.get('/ledger/health/export.csv?problem=overdue').data.decode('utf-8-sig')
    assert "'=HR late one" in text and ',=HR' not in text


@pytest.mark.parametrize('roles', [('employee',), ('employee', 'customer_center'), ('admin',)])
def test_others_may_not_export(client, login_as, entries, roles):
    """Is anyone who may not read the ledger refused, nothing logged?"""
    login_as(*roles, department='IT')
    assert client.get('/ledger/health/export.csv').status_code == 403
    assert client.get('/ledger/health/export.xlsx').status_code == 403
    assert export_events() == []


@pytest.mark.parametrize('query', ['?problem=bogus', '?problem=%00', '?problem=' + 'x' * 5000])
def test_bad_filter_is_refused(client, manager, entries, query):
    """Is an unknown problem a 4xx (never a 500 nor an unfiltered file)?"""
    response = client.get('/ledger/health/export.csv' + query)
    assert 400 <= response.status_code < 500
    assert export_events() == []


def test_health_page_links_the_export(client, manager, entries):
    """Does the health page link CSV and Excel exports of the problem shown?"""
    page = client.get('/ledger/health?problem=overdue').text
    assert 'href="/ledger/health/export.csv?problem=overdue"' in page
    assert 'href="/ledger/health/export.xlsx?problem=overdue"' in page


def test_export_is_constant_in_queries(client, login_as, departments):
    """Does the export cost the same queries for 2 or 22 entries that need attention?"""
    make_entry(**overdue())
    make_entry('HR', status='draft', items=[])
    login_as('employee', 'committee', department='LEGAL')
    few = {fmt: queries_of(client, '/ledger/health/export.%s' % fmt) for fmt in FORMATS}
    for _n in range(10):
        make_entry(**overdue())
        make_entry('HR', status='draft', items=[], purposes='')
    assert {fmt: queries_of(client, '/ledger/health/export.%s' % fmt) for fmt in FORMATS} == few
    assert len(rows_of(client.get('/ledger/health/export.csv'), 'csv')) == 23
