"""``keys rotate`` while people write: no edit lost, no value left on the old key."""
import multiprocessing
import queue
import time
import traceback

import pytest

from stintranet import crypto, keys
from stintranet.crypto import KeyRing, Sealed
from stintranet.db import database, is_sqlite
from stintranet.registers.models import Contractor
from tests.conftest import TEST_CONFIG

ROWS = 2000
WRITERS = 4
BATCH = 50


def contact_key_ids():
    cursor = database.execute_sql('SELECT contact FROM contractor WHERE contact IS NOT NULL')
    return [KeyRing.key_id_of(bytes(row[0])) for row in cursor.fetchall()]


def make_rows(count):
    """``count`` contractors, each contact sealed under the current key, in one transaction."""
    ids = []
    with database.atomic():
        for n in range(count):
            contractor = Contractor(name='Contractor %d' % n, contact='initial %d' % n)
            contractor.save()
            ids.append(contractor.id)
    return ids


def writer(config, number, ids, results, ready, rotating, done):
    """Edit this writer's own rows (ids with id % WRITERS == number) until ``done``, as the
    app does (read, change, save); report the last value saved for each row."""
    try:
        from stintranet import create_app
        from stintranet.registers.models import Contractor
        app = create_app(config)
        mine = [i for i in ids if i % WRITERS == number]
        last, during, total = {}, 0, 0
        with app.app_context():
            ready.release()
            while not done.is_set():
                row_id = mine[total % len(mine)]
                contractor = Contractor.get_by_id(row_id)
                value = 'writer %d edit %d' % (number, total)
                contractor.contact = value
                contractor.save()  # committed when it returns: an acknowledged edit
                last[row_id] = value
                total += 1
                if rotating.is_set():
                    during += 1
            database.close()
        results.put(('ok', number, last, during, total))
    except BaseException:  # report everything, the parent asserts
        results.put(('error', number, traceback.format_exc(), 0, 0))


def test_rotation_under_four_writers_loses_no_edit(app, runner):
    """While four processes edit the same rows, does `keys rotate` finish with every value on the new key and every acknowledged edit kept?"""
    ids = make_rows(ROWS)
    config = dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                  INSTANCE_PATH=app.instance_path)
    database.close()
    ctx = multiprocessing.get_context('spawn')
    results, ready = ctx.Queue(), ctx.Semaphore(0)
    rotating, done = ctx.Event(), ctx.Event()
    writers = [ctx.Process(target=writer, args=(config, n, ids, results, ready, rotating, done))
               for n in range(WRITERS)]
    for process in writers:
        process.start()
    outcomes = []
    try:
        for _ in writers:
            if not ready.acquire(timeout=120):
                pytest.fail('a writer did not start: %s' % results.get(timeout=5)[2])
        time.sleep(0.3)  # the writers are editing
        rotating.set()
        started = time.monotonic()
        result = runner.invoke(args=['keys', 'rotate', '--batch-size', str(BATCH)])
        duration = time.monotonic() - started
        rotating.clear()
        assert result.exit_code == 0, result.output
        time.sleep(0.3)  # edits after the rotation: on the new key
        done.set()
        for _ in writers:
            outcomes.append(results.get(timeout=120))
    except queue.Empty:
        pytest.fail('a writer did not report back: %r' % outcomes)
    finally:
        done.set()
        for process in writers:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()

    errors = [o[2] for o in outcomes if o[0] != 'ok']
    assert not errors, '\n'.join(errors)
    expected = {i: 'initial %d' % n for n, i in enumerate(ids)}
    during = total = 0
    for _status, _number, last, edits_during, edits in outcomes:
        expected.update(last)
        during += edits_during
        total += edits
    found = {c.id: c.contact for c in Contractor.select(Contractor.id, Contractor.uid,
                                                        Contractor.contact)}
    lost = [i for i in ids if found[i] != expected[i]]
    print('\nrotation under load on %s: %d rows, %d edits during the rotation (%d in all), '
          '%d lost, %.2f s; %s' % ('SQLite' if is_sqlite() else 'PostgreSQL', ROWS, during,
                                   total, len(lost), duration,
                                   result.output.splitlines()[0]))
    assert not lost, 'edits lost on rows %s' % lost[:10]
    assert during > WRITERS  # the writers did write while the rotation ran
    assert set(contact_key_ids()) == {2}
    assert crypto.values_per_key().get(1, 0) == 0
    assert '  key 1: 0\n' in result.output


def test_value_written_with_the_old_key_during_rotation_is_taken_up(app, runner,
                                                                    monkeypatch):
    """A process that has not seen the new key writes with the old one after the pass went by its row: does the rotation make another pass, keep that edit, and leave nothing on the old key?"""
    ids = make_rows(30)
    stale = KeyRing(app.instance_path)
    stale.load()  # knows key 1 only, and keeps encrypting with it
    field = Contractor.contact
    passes = []
    real_pass = crypto._reencrypt_column

    def pass_then_stale_write(model, column, key_id, batch_size, failures):
        done = real_pass(model, column, key_id, batch_size, failures)
        if model is Contractor and not passes:
            uid = Contractor.get_by_id(ids[0]).uid
            old = stale.encrypt(b'edited by a stale worker', field.aad_for(uid))
            Contractor.update(contact=Sealed(old)).where(Contractor.id == ids[0]).execute()
        if model is Contractor:
            passes.append(done)
        return done

    monkeypatch.setattr(crypto, '_reencrypt_column', pass_then_stale_write)
    result = runner.invoke(args=['keys', 'rotate'])
    assert result.exit_code == 0, result.output
    assert 'in 2 pass(es)' in result.output
    assert passes == [30, 1]
    assert set(contact_key_ids()) == {2}
    assert Contractor.get_by_id(ids[0]).contact == 'edited by a stale worker'
    assert keys.InstanceSetting.get_value(keys.CURRENT_DATA_KEY) == '2'


def test_edit_between_read_and_write_of_a_batch_is_not_overwritten(app, monkeypatch):
    """If a row changes after the rotation read it, is the edit kept (compare-and-swap) and the row re-encrypted by the next pass?"""
    ids = make_rows(5)
    real_encrypt = KeyRing.encrypt
    edited = []

    def encrypt_then_someone_edits(ring, plaintext, aad, key_id=None):
        sealed = real_encrypt(ring, plaintext, aad, key_id)
        if key_id is not None and not edited:  # the rotation is re-sealing a value it read
            edited.append(True)
            contractor = Contractor.get_by_id(ids[0])
            contractor.contact = 'saved while the batch was being re-sealed'
            contractor.save()
        return sealed

    monkeypatch.setattr(KeyRing, 'encrypt', encrypt_then_someone_edits)
    keys.InstanceSetting.set_value(keys.CURRENT_DATA_KEY, keys.create_data_key(app.instance_path))
    done, passes, failures = crypto.finish_rotation(batch_size=10)
    assert (done, passes, failures) == (4, 1, [])  # the edited row was already on key 2
    assert Contractor.get_by_id(ids[0]).contact == 'saved while the batch was being re-sealed'
    assert set(contact_key_ids()) == {2}


def test_disclosure_documents_stay_readable_after_rotation(app, runner):
    """Are a request's envelope-encrypted documents still readable after rotation, their data key re-sealed with the new key?"""
    from stintranet.disclosure.models import DisclosureRequest, RequestDocument
    from tests.disclosure.factories import make_request
    request = make_request(marker='rotation-marker')
    before = {d.id: (d.open_filename(request.data_key), d.open_content(request.data_key))
              for d in RequestDocument.select().where(RequestDocument.request == request.id)}
    assert before
    result = runner.invoke(args=['keys', 'rotate'])
    assert result.exit_code == 0, result.output
    raw = database.execute_sql('SELECT data_key FROM disclosure_request WHERE id = %d'
                               % request.id).fetchone()[0]
    assert KeyRing.key_id_of(bytes(raw)) == 2
    request = DisclosureRequest.get_by_id(request.id)
    after = {d.id: (d.open_filename(request.data_key), d.open_content(request.data_key))
             for d in RequestDocument.select().where(RequestDocument.request == request.id)}
    assert after == before
