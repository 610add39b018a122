"""Every list page uses at most eight queries, the same with 10 and with 1,000 rows.

Issue 13. A request pays one query for the signed-in user (``User.load_for_session``); a
list page then reads its filter choices, its count and its page of rows (``paginate``),
and what the rows show of other tables joined or in one query per table, never one per
row. Each case signs in as a demo account that can see the page, adds 10 rows of the
listed kind, measures a GET after a warm-up GET, adds 990 more (bulk inserts, so that
the data is there in a second), and measures again: the two counts must be equal, and a
paged list must then show a second page.
"""
import datetime
import itertools

import pytest
from peewee import ForeignKeyField, chunked
from playhouse.test_utils import count_queries

from stintranet import auditlog, seed
from stintranet.auth.models import Department, ManagedDepartment, User, UserRole
from stintranet.crypto import EncryptedModel, new_uid
from stintranet.db import database, utcnow
from stintranet.timezone import today_local
from tests import factories

PASSWORD = 'Demo-password-for-tests-2026'
CEILING = 8
SMALL, LARGE = 10, 1000  # rows of the listed kind added before each measure

_serial = itertools.count(1)


def demo(local):
    return User.get(User.email == seed.demo_email(local))


def days(n):
    return datetime.timedelta(days=n)


def bulk(model, rows):
    """Insert ``rows`` (dicts with the same keys) a hundred at a time; encrypted values
    are sealed to each row's own uid, as ``save()`` seals them."""
    encrypted = model.encrypted_fields() if issubclass(model, EncryptedModel) else []
    for row in rows:
        if encrypted:
            row['uid'] = new_uid()
            holder = model(uid=row['uid'])
            for field in encrypted:
                if row.get(field.name) is not None:
                    row[field.name] = field.seal(holder, row[field.name])
    with database.atomic():
        for part in chunked(rows, 100):
            model.insert_many(part).execute()


def copies(instance, n, vary):
    """``n`` rows like ``instance`` (its values, encrypted ones in plain), each updated
    with ``vary(serial)``, a dict of what must differ."""
    model = type(instance)
    base = {}
    for field in model._meta.sorted_fields:
        if field is model._meta.primary_key or field.name == 'uid':
            continue
        name = field.object_id_name if isinstance(field, ForeignKeyField) else field.name
        base[field.name] = getattr(instance, name)
    return [dict(base, **vary(next(_serial))) for _ in range(n)]


def new_ids(model, since_id):
    return [row.id for row in model.select(model.id).where(model.id > since_id)
            .order_by(model.id)]


def last_id(model):
    row = model.select(model.id).order_by(model.id.desc()).first()
    return row.id if row else 0


def grow_ledger(n):
    from stintranet.ledger.models import LedgerEntry, LedgerEntryItem
    sales = factories.make_department('SALES')
    responsible = demo('manager.sales')
    template = LedgerEntry(department=sales, title='Process 0', status='active',
                           responsible=responsible)
    template.save()
    since = template.id
    bulk(LedgerEntry, copies(template, n - 1, lambda s: {
        'title': 'Process %d' % s, 'special_care': bool(s % 2),
        'next_review_due': today_local() + days(s % 200 - 100)}))
    ids = [since] + new_ids(LedgerEntry, since)
    bulk(LedgerEntryItem, [{'entry': i, 'code': '', 'label': 'Item %d' % i}
                           for i in ids if i % 3])


def grow_incidents(n):
    """Incidents reported by Alice, most of SALES (for its manager's list), some of HR."""
    from stintranet.incidents.models import Incident
    from tests.incidents.factories import make_incident
    chair = demo('chair')
    codes = {d.code: d.id for d in Department.select()}
    template = make_incident(demo('alice'), status='triage')

    def vary(s):
        return {'reference': 'INC-T-%06d' % s, 'number': 100000 + s,
                'department': codes['HR' if s % 6 == 0 else 'SALES'],
                'estimated_persons': s % 2000, 'special_care': bool(s % 2),
                'handler': chair.id if s % 2 else None,
                'status': 'triage' if s % 3 else 'reported'}
    bulk(Incident, copies(template, n - 1, vary))


def grow_actions(n):
    from stintranet.audits.models import Finding
    from stintranet.corrective.models import CorrectiveAction
    from stintranet.incidents.models import Incident
    from tests.incidents.factories import make_action
    incident = Incident.select().first()
    finding = Finding.select().first()
    owners = [demo(local) for local in ('chair', 'alice', 'manager.sales', 'bob')]
    template = make_action(incident, owners[0], created_by=owners[0])
    # Incidents' and findings' actions mixed, as in use: the list reads the references
    # with one query per kind of source on the page (at most one per registered kind),
    # whatever the number of rows.
    bulk(CorrectiveAction, copies(template, n - 1, lambda s: {
        'title': 'Action %d' % s, 'owner': owners[s % 4].id,
        'source_type': 'finding' if s % 2 else 'incident',
        'source_id': finding.id if s % 2 else incident.id,
        'due_on': today_local() + days(s % 40 - 20)}))


def grow_requests(n):
    from stintranet.disclosure.models import DisclosureRequest
    from tests.disclosure.factories import make_request
    template = make_request(actor=demo('cc'))
    bulk(DisclosureRequest, copies(template, n - 1, lambda s: {
        'requester_name': 'Requester %d' % s, 'received_on': today_local() - days(s % 20)}))


def grow_audit_log(n):
    """Events appended to the hash chain, two in three by Alice (for the person filter)."""
    alice, bob = demo('alice'), demo('bob')
    with database.atomic():
        for s in itertools.islice(_serial, n):
            auditlog.record('read' if s % 2 else 'update', actor=bob if s % 3 == 0 else alice,
                            object_type='ledger_entry', object_id=s, details={'n': s})


def grow_users(n):
    """Staff, most in SALES (for its manager's lists), one in five also a manager."""
    codes = {1: 'HR', 5: 'IT'}
    departments = {d.code: d.id for d in Department.select()}
    template = demo('alice')
    since = last_id(User)
    bulk(User, copies(template, n, lambda s: {
        'email': 'staff%d@st-group.example' % s, 'name': 'Staff %d' % s,
        'department': departments[codes.get(s % 8, 'SALES')], 'last_login_at': None}))
    users = list(User.select(User.id, User.department).where(User.id > since))
    bulk(UserRole, [{'user': u.id, 'role': 'employee'} for u in users]
         + [{'user': u.id, 'role': 'manager'} for u in users if u.id % 5 == 0])
    bulk(ManagedDepartment, [{'user': u.id, 'department': u.department_id}
                             for u in users if u.id % 5 == 0])
    return users


def grow_notifications(n):
    from stintranet.notifications.models import Notification
    alice = demo('alice')
    bulk(Notification, [{'user': alice.id, 'key': 'test-reminder-%d' % s,
                         'subject': 'Reminder %d' % s, 'body': 'Please act.',
                         'link': '/training/'} for s in itertools.islice(_serial, n)])


def grow_outbox(n):
    from stintranet.notifications.models import OutboxMessage
    bulk(OutboxMessage, [{'to_address': 'user%d@st-group.example' % s, 'subject': 'S %d' % s,
                          'body': 'B', 'status': OutboxMessage.FAILED, 'attempts': 3,
                          'last_error': 'refused'} for s in itertools.islice(_serial, n)])


def grow_courses(n):
    """Published courses for everyone, each already assigned to Alice (so that her visit
    finds nothing to sync), half of them overdue."""
    from stintranet.training.models import Assignment, Course
    chair, alice = demo('chair'), demo('alice')
    today = today_local()
    since = last_id(Course)
    bulk(Course, [{'code': 'X-%05d' % s, 'title': 'Extra course %d' % s, 'audience': 'all',
                   'status': 'published', 'created_by': chair.id, 'published_at': utcnow()}
                  for s in itertools.islice(_serial, n)])
    bulk(Assignment, [{'course': c, 'user': alice.id, 'assigned_on': today - days(40),
                       'due_on': today + days(-10 if c % 2 else 10)}
                      for c in new_ids(Course, since)])


def grow_overdue(n):
    """Staff, each with an overdue assignment of a published course."""
    from stintranet.training.models import Assignment, Course
    course = Course.select().where(Course.status == 'published').first()
    today = today_local()
    bulk(Assignment, [{'course': course.id, 'user': u.id, 'assigned_on': today - days(60),
                       'due_on': today - days(30)} for u in grow_users(n)])


def grow_pledge_versions(n):
    """Versions of the pledge, Alice having signed each."""
    from stintranet.pledges.models import PledgeSignature, PledgeVersion
    chair, alice = demo('chair'), demo('alice')
    since = last_id(PledgeVersion)
    first = (PledgeVersion.select(PledgeVersion.number).order_by(PledgeVersion.number.desc())
             .scalar() or 0) + 1
    bulk(PledgeVersion, [{'number': first + i, 'title': 'Pledge %d' % (first + i),
                          'text': 'I keep personal data confidential. %d' % i,
                          'text_sha256': '0' * 64, 'published_by': chair.id}
                         for i in range(n)])
    bulk(PledgeSignature, [{'version': v, 'user': alice.id, 'typed_name': alice.name,
                            'text_sha256': '0' * 64} for v in new_ids(PledgeVersion, since)])


def grow_guidelines(n):
    from stintranet.guidelines.models import Guideline, GuidelineVersion
    chair = demo('chair')
    since = last_id(Guideline)
    bulk(Guideline, [{'code': 'EXTRA-%d' % s, 'title': 'Guideline %d' % s,
                      'created_by': chair.id} for s in itertools.islice(_serial, n)])
    bulk(GuidelineVersion, [{'guideline': g, 'number': 1, 'title': 'Guideline %d' % g,
                             'body': 'Text %d' % g, 'body_sha256': '0' * 64,
                             'published_by': chair.id} for g in new_ids(Guideline, since)])


def grow_contractors(n):
    from stintranet.registers.models import Contractor
    from tests.registers.factories import make_contractor
    template = make_contractor(actor=demo('chair'))
    bulk(Contractor, copies(template, n - 1, lambda s: {
        'name': 'Contractor %d K.K.' % s,
        'agreement_expires_on': today_local() + days(s % 100 * 7 - 30)}))


def _sales_entry():
    from stintranet.ledger.models import LedgerEntry
    return LedgerEntry.select().where(LedgerEntry.department
                                      == factories.make_department('SALES').id).first()


def grow_provisions(n):
    from stintranet.registers.models import ProvisionRecord
    from tests.registers.factories import make_provision
    template = make_provision(entry=_sales_entry(), actor=demo('manager.sales'))
    bulk(ProvisionRecord, copies(template, n - 1, lambda s: {
        'recipient_name': 'Recipient %d Co., Ltd.' % s}))


def grow_assets(n):
    from stintranet.registers.models import Asset
    from tests.registers.factories import make_asset
    template = make_asset(actor=demo('manager.sales'), tag='BULK-%05d' % next(_serial))
    bulk(Asset, copies(template, n - 1, lambda s: {
        'tag': 'BULK-%05d' % s, 'encrypted': bool(s % 2)}))


def grow_purpose_changes(n):
    import datetime

    from stintranet.registers.models import PurposeChange
    from stintranet.timezone import today_local
    from tests.registers.factories import make_purpose_change
    # In effect already (one notice at a time waits per entry; a list grows past that).
    template = make_purpose_change(entry=_sales_entry(), actor=demo('manager.sales'),
                                   effective_on=today_local() - datetime.timedelta(days=1))
    bulk(PurposeChange, copies(template, n - 1, lambda s: {
        'new_purpose': 'Delivering orders, and purpose %d.' % s}))


def grow_registers(n):
    grow_contractors(n)
    grow_assets(n)


def grow_inspections(n):
    """Inspections, four in five of SALES (for its manager's list), the others of HR
    and IT."""
    from stintranet.audits.models import Inspection, InspectionDepartment
    from tests.audits.factories import make_inspection
    template = make_inspection(lead=demo('auditor'), departments=('SALES',))
    since = template.id
    bulk(Inspection, copies(template, n - 1, lambda s: {
        'reference': 'IA-T-%06d' % s, 'number': 100000 + s, 'title': 'Inspection %d' % s,
        'planned_on': today_local() + days(s % 300)}))
    codes = {d.code: d.id for d in Department.select()}
    scope = []
    for i in new_ids(Inspection, since):
        scope += ([{'inspection': i, 'department': codes['HR']},
                   {'inspection': i, 'department': codes['IT']}] if i % 5 == 0
                  else [{'inspection': i, 'department': codes['SALES']}])
    bulk(InspectionDepartment, scope)


def grow_findings(n):
    from stintranet.audits.models import Finding
    from tests.audits.factories import add_finding, make_inspection, start
    auditor = demo('auditor')
    inspection = make_inspection(lead=auditor, departments=('SALES', 'HR'))
    start(inspection)
    template = add_finding(inspection, actor=auditor)
    codes = {d.code: d.id for d in Department.select()}
    bulk(Finding, copies(template, n - 1, lambda s: {
        'number': 1000 + s, 'title': 'Finding %d' % s,
        'department': codes[('SALES', 'HR')[s % 2]]}))


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
    ('admin-users-htmx', 'admin', '/admin/users?q=staff', True, grow_users, PAGED),
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
    client.get(url, headers=headers)  # warm up: a first visit may sync (training) or cache
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
    """Does the list page use at most eight queries, as many with 1,000 rows as with 10?"""
    seed.seed_demo(PASSWORD)
    grow(SMALL)
    url = url() if callable(url) else url
    small, _, _ = page_queries(client, local, url, htmx)
    grow(LARGE - SMALL)
    larger, queries, text = page_queries(client, local, url, htmx)
    assert small == larger, (name, small, larger, queries)
    assert larger <= CEILING, (name, larger, queries)
    assert ('rel="next"' in text) == paged, name  # grown past the first page, if it pages


PAGED_URLS = sorted({(c[1], c[2]) for c in CASES if c[5] and isinstance(c[2], str)})
BAD_FILTERS = [
    # (account, url, status): a choice nobody offered is a 422 with the field marked
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
    """Does each paged list answer 404 past its last page, and for a page that is not a
    number?"""
    seed.seed_demo(PASSWORD)
    client.post('/login', data={'email': seed.demo_email(local), 'password': PASSWORD})
    joiner = '&' if '?' in url else '?'
    assert client.get(url + joiner + 'page=1').status_code == 200
    for page in ('99', '0', 'x', '99999999999999999999'):
        assert client.get(url + joiner + 'page=' + page).status_code == 404, page
