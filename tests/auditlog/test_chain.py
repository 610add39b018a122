"""The hash-chained audit log: verification, tampering, the triggers, /audit-log/."""
import datetime
import re

import pytest
from peewee import DatabaseError

from stintranet import auditlog
from stintranet.auditlog import models as audit_models
from stintranet.auditlog.models import AuditEvent
from stintranet.db import database, is_sqlite
from tests import factories

SQLITE_TRIGGERS = ('audit_event_no_update', 'audit_event_no_delete')


@pytest.fixture
def tamper(app):
    """Switch the append-only triggers off, as an attacker with database access would."""
    if is_sqlite():
        # Each SQLite test has its own database file: dropping is enough.
        for name in SQLITE_TRIGGERS:
            database.execute_sql('DROP TRIGGER %s' % name)
        yield database
    else:
        database.execute_sql('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only')
        try:
            yield database
        finally:
            database.execute_sql(
                'ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only')


def append_events(n, action='test_event'):
    for i in range(n):
        auditlog.append(action, actor_email='tester@st-group.example', object_type='thing',
                        object_id=i, details={'n': i, 'text': 'ä 日本 %d' % i})


def verify_cli(runner, *args):
    return runner.invoke(args=['audit', 'verify', *args])


def head_of(result):
    match = re.search(r'^Head: (\d+):([0-9a-f]{64})$', result.output, re.M)
    assert match, result.output
    return int(match.group(1)), match.group(2)


def test_chain_verifies_after_many_events(app):
    """Does an untouched chain of many events verify, with the right count and head?"""
    append_events(150)
    result = auditlog.verify()
    assert result.ok and result.count == 150
    head = AuditEvent.head()
    assert (result.head_seq, result.head_hash) == (150, head.hash)
    assert head.prev_hash == AuditEvent.get(AuditEvent.seq == 149).hash


def test_empty_log_verifies(app, runner):
    """Does an empty log verify, with head 0?"""
    result = verify_cli(runner)
    assert result.exit_code == 0
    assert head_of(result) == (0, '0' * 64)


def test_cli_verify_prints_head(app, runner):
    """Does `flask audit verify` exit 0 and print the head as SEQ:HASH?"""
    append_events(12)
    result = verify_cli(runner)
    assert result.exit_code == 0, result.output
    assert 'OK: 12 entries.' in result.output
    assert head_of(result) == (12, AuditEvent.head().hash)


def test_cli_verify_with_matching_head(app, runner):
    """Does verify pass when given the current head?"""
    append_events(5)
    seq, digest = head_of(verify_cli(runner))
    append_events(3)
    assert verify_cli(runner, '--head', '%d:%s' % (seq, digest)).exit_code == 0


@pytest.mark.parametrize('head', ['abc', '5', '5:short', 'x:' + 'a' * 64, '²:' + 'a' * 64,
                                  '5:' + 'z' * 64])
def test_cli_verify_rejects_malformed_head(app, runner, head):
    """Is a malformed --head a usage error (exit 2), not a crash?"""
    result = verify_cli(runner, '--head', head)
    assert result.exit_code == 2, result.output


def test_hmac_key_is_separate_and_private(app):
    """Does the chain use its own 0600 key file, so a recomputed SHA-256 does not pass?"""
    import os
    import stat

    from stintranet import keys
    path = os.path.join(app.instance_path, keys.AUDIT_KEY)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    append_events(3)
    assert auditlog.verify(key=b'another key of 32 bytes.........').ok is False


def test_update_is_refused_by_trigger(app):
    """Is a plain UPDATE of an audit event refused by the database?"""
    append_events(3)
    with pytest.raises(DatabaseError, match='append-only'):
        with database.atomic():
            AuditEvent.update(details='{}').where(AuditEvent.seq == 2).execute()
    assert AuditEvent.get(AuditEvent.seq == 2).details_dict['n'] == 1


def test_delete_is_refused_by_trigger(app):
    """Is a plain DELETE of an audit event refused by the database?"""
    append_events(3)
    with pytest.raises(DatabaseError, match='append-only'):
        with database.atomic():
            AuditEvent.delete().where(AuditEvent.seq == 3).execute()
    assert AuditEvent.select().count() == 3
    assert auditlog.verify().ok


def test_save_of_existing_event_is_refused(app):
    """Is changing an event through the model (save) refused too?"""
    append_events(2)
    event = AuditEvent.get(AuditEvent.seq == 1)
    event.action = 'nothing_happened'
    with pytest.raises(DatabaseError):
        with database.atomic():
            event.save()


def test_altered_details_detected(app, runner, tamper):
    """Does verify exit 1 and name the row whose details were changed?"""
    append_events(10)
    tamper.execute_sql("UPDATE audit_event SET details = '{\"n\": 99}' WHERE seq = 6")
    result = verify_cli(runner)
    assert result.exit_code == 1
    assert 'BROKEN at entry 6' in result.output
    assert 'Head:' not in result.output


def test_altered_actor_detected(app, runner, tamper):
    """Is a changed actor e-mail detected (every column is covered)?"""
    append_events(4)
    tamper.execute_sql("UPDATE audit_event SET actor_email = 'someone@else' WHERE seq = 2")
    result = verify_cli(runner)
    assert result.exit_code == 1 and 'entry 2' in result.output


def test_altered_time_detected(app, runner, tamper):
    """Is a back-dated event detected?"""
    append_events(4)
    AuditEvent.update(at=datetime.datetime(2020, 1, 1)).where(AuditEvent.seq == 3).execute()
    result = verify_cli(runner)
    assert result.exit_code == 1 and 'entry 3' in result.output


def test_rehashed_row_detected_by_the_next_link(app, runner, tamper):
    """Is a row altered with a recomputed HMAC (key stolen) still caught by the next link?"""
    append_events(5)
    event = AuditEvent.get(AuditEvent.seq == 2)
    event.details = '{"n": 42}'
    new_hash = event.compute_hash(audit_models.hmac_key())
    AuditEvent.update(details=event.details, hash=new_hash).where(
        AuditEvent.seq == 2).execute()
    result = verify_cli(runner)
    assert result.exit_code == 1 and 'entry 3' in result.output


def test_deleted_middle_row_detected(app, runner, tamper):
    """Does verify exit 1 when a row in the middle was deleted?"""
    append_events(10)
    tamper.execute_sql('DELETE FROM audit_event WHERE seq = 5')
    result = verify_cli(runner)
    assert result.exit_code == 1
    assert 'BROKEN at entry 5' in result.output


def test_deleted_first_row_detected(app, runner, tamper):
    """Is the loss of the very first row detected?"""
    append_events(4)
    tamper.execute_sql('DELETE FROM audit_event WHERE seq = 1')
    result = verify_cli(runner)
    assert result.exit_code == 1 and 'entry 1' in result.output


def test_swapped_rows_detected(app, runner, tamper):
    """Does verify exit 1 when two rows' contents were swapped (reordered)?"""
    append_events(8)
    columns = [f.column_name for f in AuditEvent._meta.sorted_fields if f.name != 'seq']
    rows = {e.seq: e for e in AuditEvent.select().where(AuditEvent.seq.in_([3, 4]))}
    with database.atomic():
        for seq, other in ((3, 4), (4, 3)):
            AuditEvent.update({getattr(AuditEvent, c): getattr(rows[other], c)
                               for c in columns}).where(AuditEvent.seq == seq).execute()
    assert AuditEvent.get(AuditEvent.seq == 3).details_dict['n'] == 3  # really swapped
    result = verify_cli(runner)
    assert result.exit_code == 1
    assert 'BROKEN at entry 3' in result.output


def test_renumbered_rows_detected(app, runner, tamper):
    """Is a row moved to another sequence number detected?"""
    append_events(5)
    tamper.execute_sql('DELETE FROM audit_event WHERE seq = 3')
    tamper.execute_sql('UPDATE audit_event SET seq = 3 WHERE seq = 4')
    result = verify_cli(runner)
    assert result.exit_code == 1 and 'entry 3' in result.output


def test_cut_off_tail_needs_the_kept_head(app, runner, tamper):
    """Does a cut-off tail pass plain verify but fail against the head kept earlier?"""
    append_events(10)
    kept = head_of(verify_cli(runner))
    tamper.execute_sql('DELETE FROM audit_event WHERE seq > 7')
    plain = verify_cli(runner)
    assert plain.exit_code == 0
    assert head_of(plain)[0] == 7
    with_head = verify_cli(runner, '--head', '%d:%s' % kept)
    assert with_head.exit_code == 1
    assert 'cut off' in with_head.output


def test_replaced_tail_fails_against_kept_head(app, runner, tamper):
    """Is a tail replaced by new, validly chained rows caught by the kept head?"""
    append_events(6)
    kept = head_of(verify_cli(runner))
    tamper.execute_sql('DELETE FROM audit_event WHERE seq > 4')
    append_events(2, action='forged')
    assert verify_cli(runner).exit_code == 0
    result = verify_cli(runner, '--head', '%d:%s' % kept)
    assert result.exit_code == 1
    assert 'entry 6 does not match the kept head' in result.output


def test_admin_changes_and_logins_are_logged(client, login_as):
    """Are a login and an admin's change recorded with actor and address?"""
    admin = login_as('admin')
    client.post('/admin/departments/new', data={'code': 'NEWD', 'name': 'New', 'active': 'y'})
    actions = [(e.action, e.actor_email, e.ip) for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert ('login', admin.email, '127.0.0.1') in actions
    assert ('create', admin.email, '127.0.0.1') in actions
    client.post('/logout')
    assert AuditEvent.head().action == 'logout'
    assert auditlog.verify().ok


@pytest.fixture
def reader(client, login_as):
    return login_as('auditor', department='AUDIT', email='reader@st-group.example')


def rows(response):
    """The rows of the log's table (it shows no sequence numbers: see test_confidential)."""
    return re.findall(r'<tr class="auditlog-row[^"]*"[^>]*>(.*?)</tr>', response.text, re.S)


def test_page_lists_newest_first(client, reader):
    """Does the audit log page list events newest first?"""
    append_events(3)
    response = client.get('/audit-log/')
    assert response.status_code == 200
    shown = [int(n) for row in rows(response) for n in re.findall(r'<b>n</b>: (\d+)', row)]
    assert shown == [2, 1, 0]
    assert len(rows(response)) == AuditEvent.select().count()


def test_filter_by_person(client, reader):
    """Does the person filter show only that person's events?"""
    other = factories.make_user(email='other.person@st-group.example')
    auditlog.append('something', actor_id=other.id, actor_email=other.email)
    append_events(2)
    response = client.get('/audit-log/', query_string={'actor': other.id})
    assert response.status_code == 200
    assert len(rows(response)) == 1
    assert 'other.person@st-group.example' in response.text


def test_person_is_typed_and_picked_from_suggestions(client, reader):
    """Is the person a text field with every account as a suggestion, accepting the
    suggestion, the e-mail or the number, and is an unknown person a 422 that keeps what
    was typed?"""
    other = factories.make_user(name='Other Person', email='other.person@st-group.example')
    auditlog.append('something', actor_id=other.id, actor_email=other.email)
    append_events(2)
    page = client.get('/audit-log/')
    assert '<option value="Other Person &lt;other.person@st-group.example&gt;">' in page.text
    assert '<select id="actor"' not in page.text
    for typed in ('Other Person <other.person@st-group.example>',
                  'OTHER.person@st-group.example', str(other.id)):
        response = client.get('/audit-log/', query_string={'actor': typed})
        assert response.status_code == 200, typed
        assert len(rows(response)) == 1
        assert 'value="Other Person &lt;other.person@st-group.example&gt;"' in response.text
    response = client.get('/audit-log/', query_string={'actor': 'nobody@else.example'})
    assert response.status_code == 422
    assert 'Choose a person from the list.' in response.text
    assert 'value="nobody@else.example"' in response.text


def test_filter_by_action(client, reader):
    """Does the action filter show only that action?"""
    append_events(2, action='alpha_action')
    append_events(3, action='beta_action')
    response = client.get('/audit-log/', query_string={'action': 'beta_action'})
    assert len(rows(response)) == 3
    assert '<td>alpha_action</td>' not in response.text


def test_filter_by_object(client, reader):
    """Do the object type and id filters narrow to one object?"""
    append_events(4)
    response = client.get('/audit-log/', query_string={'object_type': 'thing',
                                                       'object_id': '2'})
    assert len(rows(response)) == 1
    assert 'thing #2' in response.text


def test_unknown_action_is_422(client, reader):
    """Is an action that is not in the list a 422 filter error, not a 500?"""
    response = client.get('/audit-log/', query_string={'action': 'no_such_action'})
    assert response.status_code == 422


@pytest.mark.parametrize('query', [{'date_from': '2026-02-30'}, {'date_to': 'yesterday'},
                                   {'date_from': '0001-01-01'}, {'date_to': '9999-12-31'},
                                   {'date_from': '2026-05-02', 'date_to': '2026-05-01'}])
def test_invalid_date_is_422(client, reader, query):
    """Is an impossible, out-of-range or reversed date range a 422, not a 500?"""
    response = client.get('/audit-log/', query_string=query)
    assert response.status_code == 422
    assert 'has-error' in response.text


def test_filter_by_date_uses_tokyo_days(client, reader, monkeypatch):
    """Does a date filter mean the day in Japan (an event at 01:00 JST is on that day)?"""
    moments = {'before': datetime.datetime(2026, 3, 31, 14, 59),   # 23:59 JST 31 March
               'inside': datetime.datetime(2026, 3, 31, 16, 0),    # 01:00 JST 1 April
               'after': datetime.datetime(2026, 4, 1, 15, 0)}      # 00:00 JST 2 April
    for action, moment in moments.items():
        monkeypatch.setattr(audit_models, 'utcnow', lambda moment=moment: moment)
        auditlog.append(action)
    monkeypatch.undo()
    response = client.get('/audit-log/', query_string={'date_from': '2026-04-01',
                                                       'date_to': '2026-04-01'})
    assert response.status_code == 200
    text = response.text
    assert '<td>inside</td>' in text
    assert '<td>before</td>' not in text and '<td>after</td>' not in text
    assert auditlog.verify().ok


def test_pagination(client, reader):
    """Are events paged by 50, with a next link, and a page past the end 404?"""
    append_events(70)
    total = AuditEvent.select().count()
    first = client.get('/audit-log/')
    assert len(rows(first)) == 50
    assert 'rel="next"' in first.text
    second = client.get('/audit-log/?page=2')
    assert len(rows(second)) == total - 50
    assert set(rows(first)).isdisjoint(rows(second))
    assert client.get('/audit-log/?page=3').status_code == 404


def test_pagination_keeps_filters(client, reader):
    """Does the next-page link keep the filters?"""
    append_events(55, action='bulk_action')
    response = client.get('/audit-log/?action=bulk_action')
    link = re.search(r'href="([^"]+)" rel="next"', response.text).group(1)
    assert 'action=bulk_action' in link and 'page=2' in link


def test_htmx_request_gets_rows_fragment(client, reader):
    """Does an htmx request get only #auditlog-rows, with Vary: HX-Request?"""
    append_events(2)
    response = client.get('/audit-log/?action=test_event', headers={'HX-Request': 'true'})
    assert response.status_code == 200
    assert '<html' not in response.text
    assert response.text.lstrip().startswith('<div id="auditlog-rows">')
    assert 'HX-Request' in response.headers['Vary']
    full = client.get('/audit-log/')
    assert '<html' in full.text and 'HX-Request' in full.headers['Vary']


def test_history_restore_gets_full_page(client, reader):
    """Does an htmx history restore get the whole page?"""
    response = client.get('/audit-log/', headers={'HX-Request': 'true',
                                                  'HX-History-Restore-Request': 'true'})
    assert '<html' in response.text


def test_page_is_read_only(client, reader):
    """Does the audit log page offer no way to change events?"""
    append_events(1)
    main = client.get('/audit-log/').text.split('<main', 1)[1].split('</main>')[0]
    assert 'method="post"' not in main and 'hx-post' not in main


def test_page_constant_queries(client, reader):
    """Does the audit log page cost the same number of queries (at most 8) for 5 and for
    120 events?"""
    from playhouse.test_utils import count_queries
    append_events(5)
    with count_queries() as few:
        assert client.get('/audit-log/').status_code == 200
    append_events(115)
    for _n in range(5):
        factories.make_user()
    with count_queries() as many:
        assert client.get('/audit-log/').status_code == 200
    assert many.count == few.count <= 8
