"""Destruction of submitted documents six months after completion: the boundary, what is
kept, idempotence, the audit log, and no trace left in the raw database."""
import datetime
import os

import pytest

from stintranet import db as dbmod
from stintranet.auditlog.models import AuditEvent
from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.models import DisclosureDestruction, DisclosureRequest, RequestDocument
from tests.disclosure.factories import CASE_DOCUMENTS, document, make_request, reload

D = datetime.date


def completed(on, **kwargs):
    kwargs.setdefault('received_on', on - datetime.timedelta(days=20))
    return make_request('completed', completed_on=on, **kwargs)


@pytest.mark.parametrize('completed_on, last_kept, first_destroyed', [
    (D(2025, 1, 15), D(2025, 7, 15), D(2025, 7, 16)),
    (D(2025, 8, 31), D(2026, 2, 28), D(2026, 3, 1)),   # no 31 February
    (D(2023, 8, 31), D(2024, 2, 29), D(2024, 3, 1)),   # leap year
    (D(2025, 12, 31), D(2026, 6, 30), D(2026, 7, 1)),
    # Civil Code Art. 140/143 (issue 14): the day of completion is not counted.
    (D(2026, 6, 30), D(2026, 12, 31), D(2027, 1, 1)),
    (D(2026, 5, 17), D(2026, 11, 17), D(2026, 11, 18)),
    (D(2026, 8, 30), D(2027, 2, 28), D(2027, 3, 1)),   # no 31 February
    (D(2027, 8, 29), D(2028, 2, 29), D(2028, 3, 1)),   # no 30 February, a leap year
    (D(2027, 2, 28), D(2027, 8, 31), D(2027, 9, 1)),
])
def test_destroyed_exactly_after_six_months(app, completed_on, last_kept, first_destroyed):
    """Are documents kept through the six-month period's last day (Civil Code) and
    destroyed the day after, never earlier?"""
    req = completed(completed_on)
    assert req.destroy_after == last_kept
    for day in (completed_on, last_kept - datetime.timedelta(days=1), last_kept):
        services.destroy_due(day)
        assert reload(req).destroyed_at is None, day
        assert RequestDocument.select().where(RequestDocument.request == req.id).count() == 2
    services.destroy_due(first_destroyed)
    assert reload(req).destroyed_at is not None


def test_destruction_redacts_identity_and_keeps_the_decision(app):
    """After destruction, are documents and key gone, identity a marker, and the rest kept?"""
    req = make_request('refused_completed', proxy_kind=C.APPOINTED_AGENT,
                       received_on=D(2025, 1, 6), completed_on=D(2025, 1, 20))
    sizes = sum(d.size for d in RequestDocument.metadata_for(req.id))
    assert services.destroy_due(D(2025, 7, 21)) == '1 requests destroyed (4 documents)'
    after = reload(req)
    assert RequestDocument.select().where(RequestDocument.request == req.id).count() == 0
    assert after.data_key is None
    for name in DisclosureRequest.IDENTITY_FIELDS:
        assert getattr(after, name) == C.REDACTED, name
    assert (after.status, after.decision, after.refusal_reason) == (
        C.COMPLETED, C.REFUSAL, 'identity_not_confirmed')
    assert after.explanation == 'The address differs from the one we hold.'
    assert (after.received_on, after.completed_on, after.type_codes) == (
        D(2025, 1, 6), D(2025, 1, 20), [C.DISCLOSURE])
    record = DisclosureDestruction.get(DisclosureDestruction.request == req.id)
    assert (record.document_count, record.total_bytes, record.run_date) == (
        4, sizes, D(2025, 7, 21))
    assert record.kinds == ('application_form=1;identity_document=1;power_of_attorney=1;'
                            'seal_certificate=1')
    assert 'data key deleted' in record.method


def test_null_identity_fields_stay_null(app):
    """Is a field the requester never gave (no telephone) left empty rather than marked?"""
    req = completed(D(2025, 1, 10), requester_phone=None, requester_email=None)
    services.destroy_due(D(2025, 7, 11))
    after = reload(req)
    assert after.requester_phone is None and after.requester_email is None
    assert after.requester_name == C.REDACTED
    assert after.proxy_name is None


def test_destruction_is_idempotent_and_audit_logged(app):
    """Does a second run change nothing, with exactly one audit event naming no personal data?"""
    req = completed(D(2025, 2, 1), name='Kazuko Unique-Name')
    services.destroy_due(D(2025, 8, 2))
    first = reload(req)
    assert services.destroy_due(D(2025, 8, 2)) == '0 requests destroyed (0 documents)'
    assert services.destroy_due(D(2026, 1, 1)) == '0 requests destroyed (0 documents)'
    again = reload(req)
    assert (again.destroyed_at, again.version) == (first.destroyed_at, first.version)
    assert DisclosureDestruction.select().where(
        DisclosureDestruction.request == req.id).count() == 1
    events = list(AuditEvent.select().where((AuditEvent.action == 'destroy')
                                            & (AuditEvent.object_id == str(req.id))))
    assert len(events) == 1
    details = events[0].details_dict
    assert details['documents'] == 2 and details['data_key'] == 'deleted'
    assert 'requester_name' in details['fields_redacted']
    assert 'Unique-Name' not in events[0].details
    assert events[0].actor_id is None
    assert services.destroy(req.id, D(2027, 1, 1)) is None


def test_open_requests_are_never_destroyed(app):
    """Are requests that are not completed kept however old they are?"""
    old = make_request('responded', received_on=D(2020, 1, 6))
    refused = make_request('refused_notified', received_on=D(2020, 1, 6))
    services.destroy_due(D(2030, 1, 1))
    assert reload(old).destroyed_at is None and reload(refused).destroyed_at is None


def test_retention_is_configurable(app):
    """Does DISCLOSURE_RETENTION_MONTHS change the keeping period?"""
    app.config['DISCLOSURE_RETENTION_MONTHS'] = 3
    req = completed(D(2025, 1, 31))
    assert req.destroy_after == D(2025, 4, 30)


def test_cli_job_destroys_with_today(app, runner):
    """Does `flask jobs run --today` destroy what is due on that day and say so?"""
    req = completed(D(2025, 3, 10))
    result = runner.invoke(args=['jobs', 'run', '--today', '2025-09-10'])
    assert result.exit_code == 0, result.output
    assert 'disclosure-documents-destroy: 0 requests destroyed' in result.output
    result = runner.invoke(args=['jobs', 'run', '--today', '2025-09-11'])
    assert 'disclosure-documents-destroy: 1 requests destroyed (2 documents)' in result.output
    assert reload(req).is_destroyed


def test_decisions_on_destroyed_request_are_409(client, login_as, app):
    """Is every change to a destroyed request refused with 409 and a clear message?"""
    req = completed(D(2025, 1, 10))
    services.destroy_due(D(2025, 7, 11))
    req = reload(req)
    login_as('customer_center', department='CC')
    attempts = [
        ('refuse', {'refuse-refusal_reason': 'other_legal', 'refuse-explanation': 'x',
                    'refuse-decided_on': '2025-01-10', 'refuse-version': req.version}),
        ('accept', {'accept-decided_on': '2025-01-10', 'accept-version': req.version}),
        ('complete', {'complete-completed_on': '2025-01-10', 'complete-version': req.version}),
        ('checklist', {'check-form_complete': 'y'}),
        ('ledger/link', {'entry': '1'}),
    ]
    for suffix, data in attempts:
        response = client.post('/requests/%d/%s' % (req.id, suffix), data=data)
        assert response.status_code == 409, suffix
        assert 'were destroyed' in response.text, suffix
    response = client.get('/requests/%d/edit' % req.id)
    assert response.status_code == 409
    assert client.get('/requests/%d/letter' % req.id).status_code == 409
    page = client.get('/requests/%d' % req.id)
    assert page.status_code == 200
    assert 'Destruction record' in page.text and C.REDACTED in page.text
    assert 'Hanako Yamada' not in page.text


def test_documents_cannot_be_downloaded_after_destruction(client, login_as, app):
    """Does a document link that worked before destruction answer 404 afterwards?"""
    req = completed(D(2025, 1, 10))
    doc = RequestDocument.metadata_for(req.id)[0]
    login_as('customer_center', department='CC')
    url = '/requests/%d/documents/%d' % (req.id, doc.id)
    assert client.get(url).status_code == 200
    services.destroy_due(D(2025, 7, 11))
    assert client.get(url).status_code == 404


def _raw_database_bytes(app):
    path = app.config['DATABASE_URL'][len('sqlite:///'):]
    data = b''
    for name in (path, path + '-wal', path + '-journal'):
        if os.path.exists(name):
            with open(name, 'rb') as fh:
                data += fh.read()
    return data


def _needles(value):
    """Slices of a stored value: any one found in the raw file is a trace."""
    value = bytes(value)
    step = max(1, (len(value) - 24) // 8)
    return [value[i:i + 24] for i in range(0, max(1, len(value) - 24), step)]


def test_raw_database_holds_no_trace_after_destruction(app):
    """After destruction, do the database file and its WAL hold no byte of the documents, the
    data key or the identity, in plaintext or encrypted?"""
    if not dbmod.is_sqlite():
        pytest.skip('the raw-file check reads the SQLite file (PostgreSQL relies on the '
                    'deleted data key)')
    marker = 'ZQX-requester-marker-7731'
    large = (C.OTHER_DOCUMENT, b'%PDF-1.4\n' + os.urandom(150 * 1024) + b'\n%%EOF\n',
             'application/pdf', marker + '.pdf')  # spans overflow pages
    documents = [document(kind, marker) for kind in CASE_DOCUMENTS[C.LEGAL_REPRESENTATIVE]]
    req = make_request('completed', proxy_kind=C.LEGAL_REPRESENTATIVE,
                       documents=documents + [large],
                       received_on=D(2025, 1, 6), completed_on=D(2025, 1, 20),
                       name='Name ' + marker, requester_address='Address ' + marker)
    database = dbmod.database
    cursor = database.execute_sql(
        'SELECT requester_name, requester_address, requester_phone, requester_email, '
        'proxy_name, proxy_relationship, data_key FROM disclosure_request WHERE id = ?',
        (req.id,))
    sealed_request = [bytes(v) for v in cursor.fetchone()]
    sealed_documents = [bytes(row[0]) + bytes(row[1]) for row in database.execute_sql(
        'SELECT content, filename FROM disclosure_document WHERE request_id = ?', (req.id,))]
    assert len(sealed_documents) == 5
    values = [_needles(value) for value in sealed_request + sealed_documents]
    needles = [n for group in values for n in group]

    before = _raw_database_bytes(app)
    assert marker.encode() not in before  # encrypted at rest from the start
    # The check can see every stored value (a slice may straddle an overflow page).
    assert all(any(n in before for n in group) for group in values)

    services.destroy_due(D(2025, 7, 21))
    database.execute_sql('PRAGMA wal_checkpoint(TRUNCATE)')
    after = _raw_database_bytes(app)
    assert marker.encode() not in after
    found = [n for n in needles if n in after]
    assert found == []


@pytest.mark.parametrize('name, value', [('DISCLOSURE_RETENTION_MONTHS', 0),
                                         ('DISCLOSURE_DUE_DAYS', -3),
                                         ('DISCLOSURE_DUE_DAYS', '14')])
def test_nonsense_settings_stop_the_app(tmp_path, database_url, name, value):
    """Does the app refuse to start with a keeping period or due date that makes no sense?"""
    from tests.conftest import make_app
    instance = tmp_path / 'other'
    instance.mkdir(mode=0o700)
    with pytest.raises(RuntimeError, match=name):
        make_app(database_url, instance, **{name: value})
