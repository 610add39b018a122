"""Key files: made only by init-db on an empty database, checked at every start, never
replaced; ``keys retire`` refuses while a value uses the key."""
import os
import shutil
import stat

import pytest

from stintranet import create_app, keys, startup
from stintranet.db import close_all, database
from stintranet.incidents.models import reporter_ref
from tests import factories
from tests.conftest import TEST_CONFIG

ON_POSTGRES = bool(os.environ.get('STINTRANET_TEST_POSTGRES'))


def config_of(app, **extra):
    return dict(TEST_CONFIG, DATABASE_URL=app.config['DATABASE_URL'],
                INSTANCE_PATH=app.instance_path, **extra)


def key_files(instance):
    found = []
    for folder, _dirs, files in os.walk(instance):
        found += [os.path.relpath(os.path.join(folder, f), instance) for f in files
                  if f.endswith('.key') or f == 'secret_key']
    return sorted(found)


def test_init_db_on_empty_database_creates_private_keys_and_checks(tmp_path):
    """Does init-db on an empty database create every key file 0600 in a 0700 folder and
    record a check value for each?"""
    instance = tmp_path / 'new'
    app = create_app(dict(TEST_CONFIG, SECRET_KEY='', INSTANCE_PATH=str(instance),
                          DATABASE_URL='sqlite:///%s' % (tmp_path / 'new.sqlite3'),
                          STARTUP_CHECKS=False))
    result = app.test_cli_runner().invoke(args=['init-db'])
    assert result.exit_code == 0, result.output
    assert key_files(instance) == ['keys/audit-hmac.key', 'keys/data-0001.key',
                                   'keys/incident-reporter.key', 'secret_key']
    assert stat.S_IMODE(os.stat(instance / 'keys').st_mode) == 0o700
    for name in key_files(instance):
        assert stat.S_IMODE(os.stat(instance / name).st_mode) == 0o600, name
    with app.app_context(), database.connection_context():
        assert sorted(k.name for k in keys.KeyCheck.select()) == key_files(instance)
        assert keys.InstanceSetting.get_value(keys.CURRENT_DATA_KEY) == '1'
    assert not [n for n in os.listdir(instance / 'keys') if n.endswith('.tmp')]
    close_all()


def test_commands_refuse_a_missing_key_and_create_none(app, runner):
    """With the data key gone, do commands refuse, naming the file and the way out, and
    create no new key?"""
    path = os.path.join(app.instance_path, 'keys', 'data-0001.key')
    os.remove(path)
    before = key_files(app.instance_path)
    for args in (['audit', 'verify'], ['jobs', 'run'], ['keys', 'rotate'], ['seed-demo']):
        result = runner.invoke(args=args)
        assert result.exit_code == 1, (args, result.output)
        assert path + ' is missing' in result.output
        assert 'key backup' in result.output
    assert key_files(app.instance_path) == before


def test_init_db_on_a_database_in_use_refuses_a_missing_key(app, runner):
    """Does init-db refuse, and create nothing, when the database has data but the audit key is missing (a restore without its keys)?"""
    factories.make_user()
    os.remove(os.path.join(app.instance_path, keys.AUDIT_KEY))
    result = runner.invoke(args=['init-db'])
    assert result.exit_code == 1
    assert 'audit-hmac.key is missing' in result.output
    assert not os.path.exists(os.path.join(app.instance_path, keys.AUDIT_KEY))


def damage(path, how):
    if how == 'missing':
        os.remove(path)
    elif how == 'empty':
        open(path, 'wb').close()
    elif how == 'unreadable':  # a folder where the file should be (root reads any mode)
        os.remove(path)
        os.mkdir(path, 0o700)
    elif how == 'wrong':
        os.remove(path)
        keys.write_private(path, keys.encode_key(os.path.basename(path), os.urandom(32)))
    elif how == 'garbled':
        with open(path, 'wb') as fh:
            fh.write(b'not a key\n')
    elif how == 'readable':
        os.chmod(path, 0o644)


MESSAGES = {
    'missing': 'is missing',
    'empty': 'is empty',
    'unreadable': 'cannot be read',
    'wrong': 'is not the key this database was created with',
    'garbled': 'does not hold a 256-bit key',
    'readable': 'chmod 600',
}


@pytest.mark.parametrize('name', [keys.data_key_name(1), keys.AUDIT_KEY, keys.REPORTER_KEY])
@pytest.mark.parametrize('how', sorted(MESSAGES))
def test_server_refuses_a_bad_key(app, name, how):
    """Does the app refuse to start when a key file is missing, empty, unreadable, wrong, garbled or readable by others, naming the file?"""
    path = os.path.join(app.instance_path, name)
    damage(path, how)
    with pytest.raises(startup.StartupError) as raised:
        create_app(config_of(app))
    message = str(raised.value)
    assert message.startswith('stintranet cannot start (keys check): ')
    assert path in message and MESSAGES[how] in message


def test_server_refuses_a_missing_secret_key_file(app, tmp_path):
    """Without SECRET_KEY configured, does a missing secret_key file stop the start?"""
    instance = tmp_path / 'copy'
    shutil.copytree(app.instance_path, instance)
    with pytest.raises(startup.StartupError, match='secret_key'):
        create_app(dict(config_of(app), SECRET_KEY='', INSTANCE_PATH=str(instance)))


def test_key_made_by_an_older_version_is_adopted_once(app, runner):
    """Does init-db on a database from before key checks record the check values of its key files, and then hold to them?"""
    reporter = factories.make_user()
    ref = reporter_ref(reporter)
    with database.atomic():
        keys.KeyCheck.delete().execute()
        keys.InstanceSetting.delete().execute()
    result = runner.invoke(args=['init-db'])
    assert result.exit_code == 0, result.output
    assert 'Recorded the check values of keys/data-0001.key, keys/audit-hmac.key, ' \
        'keys/incident-reporter.key.' in result.output
    assert reporter_ref(reporter) == ref
    damage(os.path.join(app.instance_path, keys.REPORTER_KEY), 'wrong')
    assert 'incident-reporter.key is not the key' in runner.invoke(args=['init-db']).output


def test_retire_refuses_while_values_use_the_key(app, runner):
    """Does `keys retire` refuse the current key and a key still sealing values, and retire a key no value uses?"""
    from tests.incidents.factories import make_incident
    make_incident(narrative='sealed under key 1')
    result = runner.invoke(args=['keys', 'retire', '1'])
    assert result.exit_code == 1 and 'current key' in result.output
    keys.create_data_key(app.instance_path)
    keys.InstanceSetting.set_value(keys.CURRENT_DATA_KEY, 2)
    result = runner.invoke(args=['keys', 'retire', '1'])
    assert result.exit_code == 1
    assert 'values are still sealed with key 1' in result.output
    assert runner.invoke(args=['keys', 'rotate', '--resume']).exit_code == 0
    result = runner.invoke(args=['keys', 'retire', '1'])
    assert result.exit_code == 0, result.output
    assert 'Key 1 is retired' in result.output
    # Its file is no longer needed to start.
    os.remove(os.path.join(app.instance_path, keys.data_key_name(1)))
    create_app(config_of(app))
    status = runner.invoke(args=['keys', 'status'])
    assert 'key 1: 0 values, retired' in status.output
    assert 'key 2: ' in status.output and 'current' in status.output


def test_prepared_key_is_the_one_rotate_uses(app, runner):
    """Does `keys add` prepare a key that is not used until `keys rotate` makes it current (several servers: the file is copied first)?"""
    from tests.incidents.factories import make_incident
    make_incident(narrative='before the new key')
    result = runner.invoke(args=['keys', 'add'])
    assert result.exit_code == 0, result.output
    assert 'Key 2 added; it is not used yet.' in result.output
    make_incident(narrative='still sealed with key 1')
    assert runner.invoke(args=['keys', 'status']).output.splitlines()[:2] == [
        'key 1: 4 values, current', 'key 2: 0 values, added, not used yet']
    result = runner.invoke(args=['keys', 'rotate'])
    assert result.exit_code == 0, result.output
    assert 'Key 2 is current' in result.output
    assert sorted(keys.KeyCheck.data_keys()) == [1, 2]
