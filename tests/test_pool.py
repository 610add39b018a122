"""Connections are kept open between requests and handed back clean."""
import pytest

from stintranet import db as dbmod
from stintranet.auth.models import Department


def marks_seen_by_requests(app, client):
    """Each request finds a TEMP table (it lives as long as its connection) or makes it."""
    seen = []

    @app.after_request
    def mark(response):
        tables = dbmod.database.get_tables(schema='temp') if dbmod.is_sqlite() else [
            row[0] for row in dbmod.database.execute_sql(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_type = 'LOCAL TEMPORARY'")]
        seen.append('pool_mark' in tables)
        dbmod.database.execute_sql('CREATE TEMP TABLE IF NOT EXISTS pool_mark (x INTEGER)')
        return response

    dbmod.database.close()
    for _ in range(3):
        client.get('/login')
    return seen


def test_requests_reuse_a_pooled_connection(app, client):
    """Does a request get the previous request's connection back from the pool?"""
    assert marks_seen_by_requests(app, client) == [False, True, True]


@pytest.mark.parametrize('app_config', [{'DATABASE_POOL_SIZE': 0}])
def test_pool_can_be_switched_off(app, client):
    """With no pool, is every request on a connection of its own?"""
    assert not hasattr(dbmod.database.obj, 'close_all')
    assert marks_seen_by_requests(app, client) == [False, False, False]


def test_a_transaction_left_open_is_rolled_back_on_return(app):
    """Does a connection come back from the pool without another request's open write?"""
    dbmod.database.close()
    dbmod.database.connect()
    dbmod.database.begin()
    Department.create(code='LEFTOPEN', name='Left open')
    dbmod.database.close()  # back to the pool, mid-transaction
    dbmod.database.connect()
    assert not dbmod.database.in_transaction()
    assert not Department.select().where(Department.code == 'LEFTOPEN').exists()


def test_a_pooled_connection_serves_another_thread(app):
    """Can a connection returned by one thread be used by the next (threaded servers)?"""
    import threading
    errors = []

    def work():
        try:
            with dbmod.database.connection_context():
                Department.select().count()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    dbmod.database.close()
    for _ in range(3):
        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        work()
    assert errors == []


def _has_mark():
    if dbmod.is_sqlite():
        return 'pool_mark' in dbmod.database.get_tables(schema='temp')
    return bool(dbmod.database.execute_sql(
        "SELECT 1 FROM information_schema.tables "
        "WHERE table_type = 'LOCAL TEMPORARY' AND table_name = 'pool_mark'").fetchone())


def test_a_forked_child_does_not_use_its_parents_connections(app):
    """After a fork (gunicorn --preload), does the child open a connection of its own
    while the parent keeps its pooled one?"""
    import os
    dbmod.database.close()
    dbmod.database.connect()
    dbmod.database.execute_sql('CREATE TEMP TABLE IF NOT EXISTS pool_mark (x INTEGER)')
    dbmod.database.close()  # the connection is now idle in the pool
    pid = os.fork()
    if pid == 0:  # the child: report through the exit status only
        ok = dbmod.database.is_closed()
        dbmod.database.connect()
        ok = ok and not _has_mark()
        dbmod.database.close()
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    dbmod.database.connect()
    assert _has_mark()  # the parent's pooled connection, still its own
