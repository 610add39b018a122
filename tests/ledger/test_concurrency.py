"""Four people save the same entry at the same moment: one wins, three get a conflict."""
import multiprocessing
import queue
import traceback

import pytest

from stintranet.ledger.models import LedgerEntry, LedgerRevision
from tests import factories
from tests.conftest import TEST_CONFIG
from tests.ledger.factories import entry_data, make_entry

EDITORS = 4


def editor(config, entry_id, user_id, title, results, start):
    """Save the entry from version 1, as a form loaded before anyone saved would."""
    try:
        from stintranet import create_app
        app = create_app(config)
        from stintranet.auth.models import User
        from stintranet.db import database
        from stintranet.ledger import services
        with app.app_context():
            entry = LedgerEntry.get_by_id(entry_id)
            user = User.get_by_id(user_id)
            data = entry_data(entry.department, user, title=title)
            start.wait()
            try:
                services.update_entry(entry, data, expected_version=1, actor=user)
                outcome = 'saved'
            except services.StaleEntry:
                outcome = 'stale'
            database.close()
        results.put(('ok', title, outcome))
    except BaseException:
        results.put(('error', title, traceback.format_exc()))


def test_simultaneous_saves_lose_nothing(app):
    """Do simultaneous saves from the same version end with one save and three conflicts?"""
    entry = make_entry('SALES')
    user = factories.make_user(roles=('employee', 'manager'), department='SALES')
    config = dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                  INSTANCE_PATH=app.instance_path)
    from stintranet.db import database
    database.close()
    ctx = multiprocessing.get_context('spawn')
    results, start = ctx.Queue(), ctx.Event()
    processes = [ctx.Process(target=editor, args=(config, entry.id, user.id, 'Title %d' % n,
                                                  results, start)) for n in range(EDITORS)]
    for process in processes:
        process.start()
    start.set()
    outcomes = []
    try:
        for _ in processes:
            outcomes.append(results.get(timeout=120))
    except queue.Empty:
        pytest.fail('an editor did not report back: %r' % outcomes)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
    errors = [text for status, _title, text in outcomes if status != 'ok']
    assert not errors, '\n'.join(errors)
    saved = [title for _status, title, outcome in outcomes if outcome == 'saved']
    assert len(saved) == 1, outcomes
    fresh = LedgerEntry.get_by_id(entry.id)
    assert fresh.version == 2 and fresh.title == saved[0]
    assert LedgerRevision.select().where(LedgerRevision.entry == entry.id).count() == 2
