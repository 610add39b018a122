"""Every list page uses at most five queries, the same at a small and a larger data size.

Issue 9. A request pays one query for the signed-in user (``User.load_for_session``); a
list page then reads its rows, their count and its filter choices in one statement
(``stintranet.batch.Reads``) and whatever else it needs in a few more. Each case signs in
as a demo account that can see the page, measures a GET after a warm-up GET, adds more
rows of the listed kind than a page shows (so the list gains a second page), and
measures again.
"""
import datetime

import pytest
from playhouse.test_utils import count_queries

from stintranet import auditlog, seed
from stintranet.auth.models import User
from stintranet.timezone import today_local
from tests import factories

PASSWORD = 'Demo-password-for-tests-2026'
CEILING = 5
MANY = 53  # more than the 50 rows a list page shows


def demo(local):
    return User.get(User.email == seed.demo_email(local))


def days(n):
    return datetime.timedelta(days=n)


def grow_ledger():
    from stintranet.ledger.models import LedgerEntry, LedgerEntryItem
    sales = factories.make_department('SALES')
    responsible = demo('manager.sales')
    for n in range(MANY):
        entry = LedgerEntry(department=sales, title='Process %d' % n, status='active',
                            responsible=responsible, special_care=bool(n % 2),
                            next_review_due=today_local() + days(n * 5 - 100))
        entry.save()
        LedgerEntryItem.create(entry=entry, label='Item %d' % n)


def grow_incidents():
    from tests.incidents.factories import make_incident
    chair = demo('chair')
    for n in range(MANY + 12):  # 53 or more of SALES, for its manager's list too
        make_incident(demo('carol' if n % 6 == 0 else ('alice', 'bob')[n % 2]),
                      estimated_persons=n,
                      special_care=bool(n % 2), handler=chair if n % 2 else None,
                      status='triage' if n % 3 else 'reported')


def grow_actions():
    from stintranet.incidents.models import Incident
    from tests.incidents.factories import make_action
    incident = Incident.select().first()
    owners = [demo(local) for local in ('chair', 'alice', 'manager.sales', 'bob')]
    for n in range(MANY):
        make_action(incident, owners[n % len(owners)], due_in_days=n - 20,
                    created_by=owners[0])


def grow_requests():
    from tests.disclosure.factories import make_request
    cc = demo('cc')
    for n in range(MANY):
        make_request(actor=cc, name='Requester %d' % n,
                     received_on=today_local() - days(n % 20))


def grow_audit_log():
    alice, bob = demo('alice'), demo('bob')
    for n in range(MANY + 12):  # 53 or more by Alice, for the person filter too
        auditlog.record('read' if n % 2 else 'update', actor=bob if n % 6 == 0 else alice,
                        object_type='ledger_entry', object_id=n, details={'n': n})


def grow_users():
    for n in range(MANY + 20):  # 53 or more in SALES, for its manager's lists too
        factories.make_user(department={1: 'HR', 5: 'IT'}.get(n % 8, 'SALES'),
                            roles=('employee', 'manager') if n % 5 == 0 else ('employee',))


def grow_notifications():
    from stintranet.notifications.models import Notification
    alice = demo('alice')
    for n in range(MANY):
        Notification.create(user=alice, key='test-reminder-%d' % n, subject='Reminder %d' % n,
                            body='Please act.', link='/training/')


def grow_outbox():
    from stintranet.notifications.models import OutboxMessage
    for n in range(MANY):
        OutboxMessage.create(to_address='user%d@st-group.example' % n, subject='S %d' % n,
                             body='B', status=OutboxMessage.FAILED, attempts=3,
                             last_error='refused')


def grow_courses():
    from tests.training.factories import make_course
    chair = demo('chair')
    today = today_local()
    for n in range(12):
        make_course(title='Extra course %d' % n, today=today - days(40 + n), actor=chair,
                    departments=('SALES',) if n % 2 else (),
                    audience='departments' if n % 2 else 'all')


def grow_overdue():
    grow_users()
    grow_courses()


def grow_pledge_versions():
    from stintranet.pledges import services
    from stintranet.pledges.models import PledgeVersion
    chair = demo('chair')
    for n in range(8):
        current = PledgeVersion.current()
        services.publish_version('Pledge %d' % n, 'I keep personal data confidential. %d' % n,
                                 'note', chair, current.number if current else 0)


def grow_guidelines():
    from stintranet.guidelines import services
    chair = demo('chair')
    for n in range(12):
        services.create_guideline('EXTRA-%d' % n, 'Guideline %d' % n, 'Text %d' % n, 'note',
                                  chair)


def grow_contractors():
    from tests.registers.factories import make_contractor
    chair = demo('chair')
    for n in range(MANY):
        make_contractor(actor=chair, agreement_expires_on=today_local() + days(n * 7 - 30))


def _sales_entry():
    from stintranet.ledger.models import LedgerEntry
    return LedgerEntry.select().where(LedgerEntry.department
                                      == factories.make_department('SALES').id).first()


def grow_provisions():
    from tests.registers.factories import make_provision
    entry, manager = _sales_entry(), demo('manager.sales')
    for n in range(MANY):
        make_provision(entry=entry, actor=manager)


def grow_assets():
    from tests.registers.factories import make_asset
    manager = demo('manager.sales')
    for n in range(MANY):
        make_asset(actor=manager, encrypted=bool(n % 2))


def grow_purpose_changes():
    from tests.registers.factories import make_purpose_change
    entry, manager = _sales_entry(), demo('manager.sales')
    for n in range(MANY):
        make_purpose_change(entry=entry, actor=manager)


def grow_registers():
    grow_contractors()
    grow_assets()


def grow_inspections():
    from tests.audits.factories import make_inspection
    auditor = demo('auditor')
    for n in range(MANY + 14):  # 53 or more of SALES, for its manager's list too
        make_inspection(lead=auditor, departments=('HR', 'IT') if n % 5 == 0 else ('SALES',),
                        title='Inspection %d' % n, planned_in_days=n)


def grow_findings():
    from tests.audits.factories import add_finding, make_inspection, start
    auditor = demo('auditor')
    inspection = make_inspection(lead=auditor, departments=('SALES', 'HR'))
    start(inspection)
    for n in range(MANY):
        add_finding(inspection, actor=auditor, department=('SALES', 'HR')[n % 2],
                    title='Finding %d' % n)


def person_filter():
    return '/audit-log/?actor=%d' % demo('alice').id


def incident_ledger_search():
    from stintranet.incidents.models import Incident
    return '/incidents/%d/ledger?q=Process' % Incident.select().first().id


def request_ledger_search():
    from stintranet.disclosure.models import DisclosureRequest
    return '/requests/%d/ledger?q=Process' % DisclosureRequest.select().first().id


HTMX = {'HX-Request': 'true'}
PAGED, WHOLE = True, False  # whether the list pages (and must show a second page when grown)

CASES = [
    # (id, account, url or a function giving it, htmx, grow, paged)
    ('ledger', 'manager.sales', '/ledger/', False, grow_ledger, PAGED),
    ('ledger-committee', 'chair', '/ledger/?sort=-title', False, grow_ledger, PAGED),
    ('ledger-search-htmx', 'manager.sales', '/ledger/?q=Process', True, grow_ledger, PAGED),
    ('ledger-health', 'chair', '/ledger/health', False, grow_ledger, PAGED),
    ('incident-data-sets-htmx', 'alice', '/incidents/new/data-sets?entry_q=Process', True,
     grow_ledger, WHOLE),
    ('incident-ledger-search-htmx', 'chair', incident_ledger_search, True, grow_ledger, WHOLE),
    ('request-ledger-search-htmx', 'cc', request_ledger_search, True, grow_ledger, WHOLE),
    ('incidents', 'chair', '/incidents/', False, grow_incidents, PAGED),
    ('incidents-htmx', 'chair', '/incidents/?status=open', True, grow_incidents, PAGED),
    ('incidents-manager', 'manager.sales', '/incidents/', False, grow_incidents, PAGED),
    ('corrective', 'chair', '/corrective-actions/?status=all', False, grow_actions, PAGED),
    ('corrective-htmx', 'chair', '/corrective-actions/?status=all', True, grow_actions, PAGED),
    ('requests', 'cc', '/requests/?status=all', False, grow_requests, PAGED),
    ('requests-htmx', 'cc', '/requests/?status=all&q=1234', True, grow_requests, PAGED),
    ('audit-log', 'auditor', '/audit-log/', False, grow_audit_log, PAGED),
    ('audit-log-person', 'auditor', person_filter, False, grow_audit_log, PAGED),
    ('audit-log-person-htmx', 'chair', person_filter, True, grow_audit_log, PAGED),
    ('admin-users', 'admin', '/admin/users', False, grow_users, PAGED),
    ('admin-users-htmx', 'admin', '/admin/users?q=user', True, grow_users, PAGED),
    ('admin-departments', 'admin', '/admin/departments', False, grow_users, WHOLE),
    ('notifications', 'alice', '/notifications/', False, grow_notifications, PAGED),
    ('outbox', 'admin', '/notifications/outbox', False, grow_outbox, PAGED),
    ('training-assignments', 'alice', '/training/', False, grow_courses, WHOLE),
    ('training-courses', 'chair', '/training/courses/', False, grow_courses, WHOLE),
    ('training-compliance', 'chair', '/training/compliance', False, grow_overdue, WHOLE),
    ('training-compliance-htmx', 'chair', '/training/compliance', True, grow_overdue, WHOLE),
    ('training-overdue', 'chair', '/training/overdue', False, grow_overdue, PAGED),
    ('training-overdue-htmx', 'manager.sales', '/training/overdue', True, grow_overdue, PAGED),
    ('pledges', 'alice', '/pledges/', False, grow_pledge_versions, WHOLE),
    ('pledge-versions', 'chair', '/pledges/versions/', False, grow_pledge_versions, WHOLE),
    ('pledge-compliance', 'chair', '/pledges/compliance', False, grow_users, PAGED),
    ('pledge-compliance-htmx', 'manager.sales', '/pledges/compliance', True, grow_users,
     PAGED),
    ('guidelines', 'alice', '/guidelines/', False, grow_guidelines, WHOLE),
    ('registers', 'chair', '/registers/', False, grow_registers, WHOLE),
    ('registers-manager', 'manager.sales', '/registers/', False, grow_registers, WHOLE),
    ('contractors', 'chair', '/registers/contractors/', False, grow_contractors, PAGED),
    ('contractors-htmx', 'chair', '/registers/contractors/?q=K.K.', True, grow_contractors,
     PAGED),
    ('provisions', 'manager.sales', '/registers/provisions/', False, grow_provisions, PAGED),
    ('assets', 'manager.sales', '/registers/assets/', False, grow_assets, PAGED),
    ('assets-htmx', 'chair', '/registers/assets/', True, grow_assets, PAGED),
    ('purpose-changes', 'chair', '/registers/purpose-changes/', False, grow_purpose_changes,
     PAGED),
    ('inspections', 'auditor', '/audits/', False, grow_inspections, PAGED),
    ('inspections-manager', 'manager.sales', '/audits/', False, grow_inspections, PAGED),
    ('findings', 'auditor', '/audits/findings/', False, grow_findings, PAGED),
    ('findings-htmx', 'chair', '/audits/findings/', True, grow_findings, PAGED),
]


def page_queries(client, local, url, htmx):
    client.post('/login', data={'email': seed.demo_email(local), 'password': PASSWORD})
    headers = HTMX if htmx else {}
    client.get(url, headers=headers)  # warm the per-process caches and any sync on first visit
    with count_queries() as counter:
        response = client.get(url, headers=headers)
    client.post('/logout')
    assert response.status_code == 200, (url, response.status_code)
    return counter.count, [_sql(q) for q in counter.get_queries()], response.text


def _sql(record):
    sql = record.msg[0] if isinstance(record.msg, tuple) else str(record.msg)
    return sql if len(sql) < 300 else sql[:120] + " ... " + sql[-180:]


@pytest.mark.parametrize('name, local, url, htmx, grow, paged', CASES,
                         ids=[c[0] for c in CASES])
def test_list_page_queries_are_few_and_constant(client, name, local, url, htmx, grow, paged):
    """Does the list page use at most five queries, as many at 50+ rows as at a few?"""
    seed.seed_demo(PASSWORD)
    url = url() if callable(url) else url
    small, _, _ = page_queries(client, local, url, htmx)
    grow()
    larger, queries, text = page_queries(client, local, url, htmx)
    assert small == larger, (name, small, larger, queries)
    assert larger <= CEILING, (name, larger, queries)
    assert ('rel="next"' in text) == paged, name  # grown past the first page, if it pages


PAGED_URLS = sorted({(c[1], c[2]) for c in CASES if c[5] and isinstance(c[2], str)})
BAD_FILTERS = [
    # (account, url, status): filter choices are checked after the batched read
    ('manager.sales', '/ledger/?department=999999', 422),
    ('manager.sales', '/ledger/?department=%C2%B2', 422),  # '²': a digit, but not a number
    ('chair', '/ledger/?department=99999999999999999999', 422),
    ('chair', '/audit-log/?actor=999999', 422),
    ('chair', '/audit-log/?actor=%C2%B2', 422),
    ('chair', '/audit-log/?actor=99999999999999999999&action=login', 422),
    ('chair', '/training/overdue?course=999999', 422),
    ('chair', '/training/overdue?course=x', 422),
    ('chair', '/training/compliance?course=999999', 422),
    ('chair', '/training/compliance?course=%C2%B2', 422),
    ('manager.sales', '/registers/assets/?department=999999', 422),
    ('manager.sales', '/registers/provisions/?department=%C2%B2', 422),
    ('chair', '/registers/purpose-changes/?department=99999999999999999999', 422),
    ('chair', '/incidents/?department=%C2%B2&handler=99999999999999999999', 200),
    ('alice', '/incidents/new/data-sets?entry=%C2%B2&entry_q=a', 200),
    ('auditor', '/audits/?department=%C2%B2&year=99999999999999999999', 200),
    ('auditor', '/audits/findings/?department=99999999999999999999', 200),
    ('admin', '/admin/users?department=%C2%B2&role=nobody', 200),
]


@pytest.mark.parametrize('local, url, status', BAD_FILTERS, ids=[b[1] for b in BAD_FILTERS])
def test_bad_filters_are_a_4xx_with_the_form(client, local, url, status):
    """Is a filter value nobody offered a 422 with the form again (or ignored), not a 500,
    on the page and on its htmx fragment?"""
    seed.seed_demo(PASSWORD)
    client.post('/login', data={'email': seed.demo_email(local), 'password': PASSWORD})
    page = client.get(url)
    assert page.status_code == status, page.text[-500:]
    if 'data-sets' not in url:  # that one is a fragment of the report form
        assert '<form' in page.text
    if status == 422:
        assert 'aria-invalid="true"' in page.text  # the field is marked, with its message
    fragment = client.get(url, headers=HTMX)
    assert fragment.status_code == status


@pytest.mark.parametrize('local, url', PAGED_URLS, ids=[u for _, u in PAGED_URLS])
def test_a_page_beyond_the_last_is_404(client, local, url):
    """Does each batched list still answer 404 past its last page, and for a page that is
    not a number?"""
    seed.seed_demo(PASSWORD)
    client.post('/login', data={'email': seed.demo_email(local), 'password': PASSWORD})
    joiner = '&' if '?' in url else '?'
    assert client.get(url + joiner + 'page=1').status_code == 200
    for page in ('99', '0', 'x', '99999999999999999999'):
        assert client.get(url + joiner + 'page=' + page).status_code == 404, page
