"""Compliance by department: the arithmetic, scoping, constant queries, chart and export."""
import datetime

import pytest
from playhouse.test_utils import count_queries

from stintranet.auditlog.models import AuditEvent
from stintranet.timezone import today_local
from stintranet.training import models, services
from tests import factories
from tests.training.factories import current, make_course

TODAY = None


@pytest.fixture
def today():
    return today_local()


def populate(today, sales=3, hr=3):
    """SALES: 1 completed, 1 overdue, the rest open and not due. HR: all but one completed."""
    people = {'SALES': [factories.make_user(department='SALES') for _ in range(sales)],
              'HR': [factories.make_user(department='HR') for _ in range(hr)]}
    factories.make_department('IT')
    old = make_course(today=today - datetime.timedelta(days=40), due_days=30)
    new = make_course(today=today, due_days=30)
    s = people['SALES']
    services.acknowledge(current(old, s[0]), s[0], today)
    for user in s[2:]:
        services.acknowledge(current(old, user), user, today)
    for user in people['HR'][:-1]:
        services.acknowledge(current(old, user), user, today)
    return people, old, new


def test_compliance_arithmetic(today):
    """Are assigned, completed, overdue and the rounded-down rate right per department?"""
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    populate(today)
    old, new = models.Course.select().order_by(models.Course.id)
    rows = {r.code: r for r in models.compliance(committee, today, course_id=old.id)}
    assert (rows['SALES'].assigned, rows['SALES'].completed, rows['SALES'].overdue) == (3, 2, 1)
    assert rows['SALES'].percent == 66  # 66.7 rounds down
    assert (rows['HR'].assigned, rows['HR'].completed, rows['HR'].overdue) == (3, 2, 1)
    assert rows['IT'].assigned == 0 and rows['IT'].percent is None
    assert rows['LEGAL'].assigned == 1  # the committee member is staff too
    everything = {r.code: r for r in models.compliance(committee, today)}
    assert (everything['SALES'].assigned, everything['SALES'].completed,
            everything['SALES'].overdue) == (6, 2, 1)
    total = models.total_row(list(everything.values()), 'All')
    assert total.assigned == sum(r.assigned for r in everything.values())
    assert total.percent == total.completed * 100 // total.assigned


def test_deactivated_and_withdrawn_do_not_count(today):
    """Are deactivated people and withdrawn assignments left out of the figures?"""
    from stintranet.admin import services as admin_services
    committee = factories.make_user(roles=('committee',), department='LEGAL')
    people, old, new = populate(today)
    admin_services.set_active(people['SALES'][1], False, None)  # the overdue one
    rows = {r.code: r for r in models.compliance(committee, today, course_id=old.id)}
    assert (rows['SALES'].assigned, rows['SALES'].overdue, rows['SALES'].percent) == (2, 0, 100)


def test_committee_page_shows_every_department_with_chart(client, login_as, today):
    """Does the committee see every department in a table and an accessible SVG chart with the same numbers?"""
    login_as('committee', department='LEGAL')
    populate(today)
    page = client.get('/training/compliance').text
    for code in ('SALES', 'HR', 'IT', 'LEGAL'):
        assert '<th scope="row">%s ' % code in page
    svg = page[page.index('<svg'):page.index('</svg>')]
    assert 'role="img"' in svg and '<title id="training-compliance-chart-title">' in svg
    assert 'SALES: 33 % (2 of 6 completed, 1 overdue)' in svg
    assert '<script' not in page.split('</head>')[1]
    assert 'style=' not in page
    assert '<td>6</td><td>2</td><td>1</td><td>33 %</td>' in page


def test_manager_sees_only_their_departments(client, login_as, today):
    """Does a manager see their departments' figures and overdue people only?"""
    people, old, new = populate(today)
    login_as('employee', 'manager', department='SALES', manages=('SALES',))
    page = client.get('/training/compliance').text
    assert '<th scope="row">SALES ' in page and '<th scope="row">HR ' not in page
    overdue = client.get('/training/overdue').text
    assert people['SALES'][1].name in overdue
    assert people['HR'][-1].name not in overdue
    csv = client.get('/training/overdue.csv').text
    assert people['SALES'][1].email in csv and people['HR'][-1].email not in csv
    figures = client.get('/training/compliance.csv').text
    assert 'SALES' in figures and 'HR' not in figures


def test_overdue_list_for_the_committee(client, login_as, today):
    """Does the overdue list name every overdue person with the days overdue?"""
    people, old, new = populate(today)
    login_as('committee', department='LEGAL')
    page = client.get('/training/overdue').text
    assert '2 overdue assignments' in page
    assert people['SALES'][1].name in page and people['HR'][-1].name in page
    assert '<td>10</td>' in page  # due 30 days after a start 40 days ago
    filtered = client.get('/training/overdue?course=%d' % new.id).text
    assert 'Nobody is overdue.' in filtered


def test_exports_are_audited(client, login_as, today):
    """Are both CSV exports recorded in the audit log as 'export'?"""
    populate(today)
    login_as('committee', department='LEGAL')
    response = client.get('/training/compliance.csv')
    assert response.status_code == 200
    assert response.mimetype == 'text/csv'
    assert response.data.startswith(b'\xef\xbb\xbfdepartment_code,department,assigned')
    assert 'attachment' in response.headers['Content-Disposition']
    client.get('/training/overdue.csv')
    exports = [e.details_dict['report'] for e in
               AuditEvent.select().where(AuditEvent.action == 'export')]
    assert exports == ['training-compliance', 'training-overdue']


def test_csv_cells_cannot_become_formulas(client, login_as, today):
    """Is a name starting with "=" exported as text, not as a spreadsheet formula?"""
    make_course(today=today - datetime.timedelta(days=60))
    factories.make_user(name='=HYPERLINK("http://evil")')
    services.sync_all(today - datetime.timedelta(days=60))
    login_as('committee', department='LEGAL')
    csv = client.get('/training/overdue.csv').text
    assert "'=HYPERLINK" in csv


def test_compliance_queries_do_not_grow_with_staff(client, login_as, today):
    """Are the compliance pages and the overdue list (at most 8 queries each) and the home
    panel a constant number of queries?"""
    login_as('committee', department='LEGAL')
    populate(today, sales=2, hr=2)

    def counts():
        result = []
        for url in ('/training/compliance', '/training/overdue', '/pledges/compliance', '/'):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            result.append(counter.count)
        return result

    small = counts()
    for _ in range(15):
        factories.make_user(department='SALES')
        factories.make_user(department='HR')
    services.sync_all(today)
    assert counts() == small
    assert max(small[:3]) <= 8, small


def test_bad_course_filter_is_422(client, login_as, today):
    """Is an unknown course in the filter refused with 422, and its export too?"""
    login_as('committee', department='LEGAL')
    assert client.get('/training/compliance?course=999999').status_code == 422
    assert client.get('/training/compliance.csv?course=abc').status_code == 422
    assert client.get('/training/overdue?course=999999').status_code == 422


def test_htmx_filter_returns_the_fragment(client, login_as, today):
    """Does an htmx request get only the compliance fragment, with Vary: HX-Request?"""
    login_as('committee', department='LEGAL')
    populate(today)
    response = client.get('/training/compliance', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert response.text.lstrip().startswith('<section id="training-compliance"')
    assert 'HX-Request' in response.headers['Vary']


ROLE_PAGES = {
    '/training/': {'employee', 'manager', 'committee', 'customer_center', 'auditor'},
    '/training/compliance': {'manager', 'committee', 'auditor'},
    '/training/overdue': {'manager', 'committee', 'auditor'},
    '/training/courses/': {'committee', 'auditor'},
    '/training/courses/new': {'committee'},
    '/training/imports/new': {'committee'},
    '/pledges/': {'employee', 'manager', 'committee', 'customer_center', 'auditor'},
    '/pledges/compliance': {'manager', 'committee', 'auditor'},
    '/pledges/versions/': {'committee', 'auditor'},
    '/pledges/versions/new': {'committee'},
    '/guidelines/': {'employee', 'manager', 'committee', 'customer_center', 'auditor'},
    '/guidelines/new': {'committee'},
}


@pytest.mark.parametrize('path', sorted(ROLE_PAGES))
@pytest.mark.parametrize('role', ['employee', 'manager', 'committee', 'customer_center',
                                  'auditor', 'admin', None])
def test_role_page_matrix(client, login_as, role, path):
    """Does each role reach exactly the training, pledge and guideline pages it may (admin none)?"""
    if role is not None:
        login_as(role)
    response = client.get(path)
    if role is None:
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if role in ROLE_PAGES[path] else 403), role
