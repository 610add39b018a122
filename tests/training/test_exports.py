"""Exports of the compliance table and the overdue list, both as CSV and XLSX."""
import datetime

import pytest

from stintranet.timezone import today_local
from stintranet.training import services
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
from tests.training.test_compliance import populate


@pytest.fixture
def today():
    return today_local()


@pytest.mark.parametrize('fmt', FORMATS)
def test_compliance_export_follows_the_course(client, login_as, today, fmt):
    """Does the compliance export hold every department's figures for the chosen course,
    audit-logged with the course?"""
    people, old, new = populate(today)
    login_as('committee', department='LEGAL')
    response = client.get('/training/compliance.%s?course=%d' % (fmt, old.id))
    rows = rows_of(response, fmt)
    assert file_name(response).startswith('training-compliance-')
    assert rows[0] == ['department_code', 'department', 'assigned', 'completed', 'overdue',
                       'percent']
    sales = rows[1 + column(rows, 'department_code').index('SALES')]
    assert [str(v) for v in sales[2:]] == ['3', '2', '1', '66']
    event, details = last_export()
    assert event.object_type == 'training_compliance'
    assert details['format'] == fmt and details['filters'] == {'course': old.id}


@pytest.mark.parametrize('fmt', FORMATS)
def test_overdue_export_for_a_manager(client, login_as, today, fmt):
    """Does a SALES manager's overdue export name SALES's overdue person only?"""
    people, old, new = populate(today)
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    rows = rows_of(client.get('/training/overdue.%s' % fmt), fmt)
    assert column(rows, 'email') == [people['SALES'][1].email]
    assert column(rows, 'department_code') == ['SALES']
    assert last_export()[0].object_type == 'training_overdue'
    figures = rows_of(client.get('/training/compliance.%s' % fmt), fmt)
    assert column(figures, 'department_code') == ['SALES']


def test_overdue_export_follows_the_course(client, login_as, today):
    """Does the course filter leave out the other course's overdue people?"""
    people, old, new = populate(today)
    login_as('committee', department='LEGAL')
    assert len(rows_of(client.get('/training/overdue.xlsx?course=%d' % old.id), 'xlsx')) == 3
    assert len(rows_of(client.get('/training/overdue.xlsx?course=%d' % new.id), 'xlsx')) == 1


def test_formula_is_neutralised_in_xlsx(client, login_as, today):
    """Is a name that looks like a formula written as text in the XLSX too?"""
    from tests.training.factories import make_course
    make_course(today=today - datetime.timedelta(days=60))
    factories.make_user(name='=HYPERLINK("http://evil")')
    services.sync_all(today - datetime.timedelta(days=60))
    login_as('committee', department='LEGAL')
    rows = rows_of(client.get('/training/overdue.xlsx'), 'xlsx')
    assert '\'=HYPERLINK("http://evil")' in column(rows, 'name')


@pytest.mark.parametrize('path', ['/training/compliance.csv', '/training/compliance.xlsx',
                                  '/training/overdue.csv', '/training/overdue.xlsx'])
def test_employee_may_not_export(client, login_as, today, path):
    """Is an employee without a compliance role refused, nothing logged?"""
    populate(today)
    login_as('employee', 'customer_center', department='CC')
    assert client.get(path).status_code == 403
    assert export_events() == []


@pytest.mark.parametrize('path', ['/training/compliance.xlsx?course=abc',
                                  '/training/compliance.csv?course=999999',
                                  '/training/overdue.xlsx?course=-3',
                                  '/training/overdue.csv?course=999999'])
def test_bad_course_is_422(client, login_as, today, path):
    """Is an unknown course a 422, nothing logged?"""
    login_as('committee', department='LEGAL')
    assert client.get(path).status_code == 422
    assert export_events() == []


def test_pages_link_both_formats_with_the_course(client, login_as, today):
    """Do the compliance and overdue pages link CSV and Excel for the chosen course?"""
    people, old, new = populate(today)
    login_as('committee', department='LEGAL')
    for page in ('compliance', 'overdue'):
        text = client.get('/training/%s?course=%d' % (page, old.id)).text
        for fmt in FORMATS:
            assert 'href="/training/%s.%s?course=%d"' % (page, fmt, old.id) in text


def test_exports_are_constant_in_queries(client, login_as, today):
    """Do the exports cost the same queries for 4 or 34 people?"""
    login_as('committee', department='LEGAL')
    populate(today, sales=2, hr=2)
    paths = ['/training/%s.%s' % (page, fmt) for page in ('compliance', 'overdue')
             for fmt in FORMATS]
    few = {path: queries_of(client, path) for path in paths}
    for _ in range(15):
        factories.make_user(department='SALES')
        factories.make_user(department='HR')
    services.sync_all(today - datetime.timedelta(days=40))
    assert {path: queries_of(client, path) for path in paths} == few
    assert len(rows_of(client.get('/training/overdue.csv'), 'csv')) > 20
