"""Encryption at rest: the fields, ciphertext on disk, key rotation, key-file modes."""
import base64
import os
import stat

import pytest
from peewee import CharField

from stintranet import create_app, crypto, keys
from stintranet.auditlog.models import AuditEvent
from stintranet.crypto import (
    DecryptionError,
    EncryptedBlobField,
    EncryptedModel,
    EncryptedTextField,
    KeyRing,
)
from stintranet.db import close_all, database, is_sqlite, make_database
from tests.conftest import TEST_CONFIG, make_app

TEXT_MARKER = 'Plaintext-Narrative-Marker-7Q3Z'
BLOB_MARKER = b'Plaintext-Document-Marker-K9X2'
CONTROL_MARKER = 'Unencrypted-Label-Marker-P4W8'


@pytest.fixture
def Secret(app):
    """A model with encrypted fields, its table created for this test only.

    Every subclass of EncryptedModel with encrypted fields takes part in
    ``keys rotate``; a class outliving its table would break rotation in the
    other tests, so its encrypted fields are removed afterwards.
    """
    class Secret(EncryptedModel):
        label = CharField(default='')
        body = EncryptedTextField(null=True)
        blob = EncryptedBlobField(null=True)

        class Meta:
            table_name = 'test_secret'

    database.create_tables([Secret])
    yield Secret
    database.drop_tables([Secret])
    for field in Secret.encrypted_fields():
        Secret._meta.remove_field(field.name)
    assert Secret not in crypto.encrypted_models()


def raw_values(column):
    cursor = database.execute_sql('SELECT %s FROM test_secret ORDER BY id' % column)
    return [bytes(row[0]) if row[0] is not None else None for row in cursor.fetchall()]


def test_round_trip(Secret):
    """Is a saved text and blob read back unchanged, in a fresh query?"""
    secret = Secret.create(body='個人情報 — narrative', blob=b'\x00\x01binary\xff')
    loaded = Secret.get_by_id(secret.id)
    assert loaded.body == '個人情報 — narrative'
    assert loaded.blob == b'\x00\x01binary\xff'
    assert secret.body == '個人情報 — narrative'  # the instance keeps its plaintext


def test_none_stays_none(Secret):
    """Is an empty (NULL) encrypted field stored as NULL and read back as None?"""
    secret = Secret.create(body=None)
    assert Secret.get_by_id(secret.id).body is None
    assert raw_values('body') == [None]


def test_stored_value_is_ciphertext(Secret):
    """Does the column hold a versioned AES-GCM token, not the text?"""
    Secret.create(body=TEXT_MARKER)
    stored = raw_values('body')[0]
    assert TEXT_MARKER.encode() not in stored
    assert KeyRing.key_id_of(stored) == 1
    assert len(stored) == 3 + 12 + len(TEXT_MARKER) + 16  # header, nonce, text, tag


def test_same_text_encrypts_differently(Secret):
    """Do two rows with the same text store different ciphertexts (random nonces)?"""
    Secret.create(body='same text')
    Secret.create(body='same text')
    first, second = raw_values('body')
    assert first != second


def test_update_after_read_re_encrypts(Secret):
    """Is a changed value re-sealed on save and readable afterwards?"""
    secret = Secret.create(body='first version')
    loaded = Secret.get_by_id(secret.id)
    loaded.body = 'second version'
    loaded.save()
    assert Secret.get_by_id(secret.id).body == 'second version'
    assert b'second version' not in raw_values('body')[0]


@pytest.mark.skipif(bool(os.environ.get('STINTRANET_TEST_POSTGRES')),
                    reason='reads the SQLite file and its WAL')
def test_no_plaintext_in_sqlite_file_or_wal(Secret, app):
    """Do the SQLite file and its WAL hold no plaintext of an encrypted value?"""
    assert is_sqlite()
    for _ in range(3):
        Secret.create(label=CONTROL_MARKER, body=TEXT_MARKER * 3, blob=BLOB_MARKER * 3)
    updated = Secret.get(Secret.label == CONTROL_MARKER)
    updated.body = TEXT_MARKER + ' updated'
    updated.save()
    path = os.path.join(app.instance_path, 'stintranet.sqlite3')
    contents = b''
    for name in (path, path + '-wal'):
        if os.path.exists(name):
            with open(name, 'rb') as fh:
                contents += fh.read()
    assert os.path.exists(path + '-wal')
    # The control value is found, so the search itself works.
    assert CONTROL_MARKER.encode() in contents
    assert TEXT_MARKER.encode() not in contents
    assert TEXT_MARKER.encode('utf-16-le') not in contents
    assert BLOB_MARKER not in contents


def test_ciphertext_copied_to_another_row_fails(Secret):
    """Does a ciphertext copied into another row fail to decrypt?"""
    first = Secret.create(body='belongs to the first row')
    second = Secret.create(body='second')
    database.execute_sql('UPDATE test_secret SET body = (SELECT body FROM test_secret '
                         'WHERE id = %d) WHERE id = %d' % (first.id, second.id))
    with pytest.raises(DecryptionError):
        _ = Secret.get_by_id(second.id).body
    assert Secret.get_by_id(first.id).body == 'belongs to the first row'


def test_ciphertext_copied_to_another_column_fails(Secret):
    """Does a ciphertext moved into another column of the same row fail to decrypt?"""
    secret = Secret.create(body='text column', blob=b'blob column')
    database.execute_sql('UPDATE test_secret SET blob = body WHERE id = %d' % secret.id)
    with pytest.raises(DecryptionError):
        _ = Secret.get_by_id(secret.id).blob


def test_tampered_ciphertext_fails(Secret):
    """Does a flipped bit in the ciphertext fail to decrypt?"""
    secret = Secret.create(body='do not touch')
    stored = bytearray(raw_values('body')[0])
    stored[-1] ^= 0x01
    Secret.update(body=crypto.Sealed(bytes(stored))).where(Secret.id == secret.id).execute()
    with pytest.raises(DecryptionError):
        _ = Secret.get_by_id(secret.id).body


def test_plaintext_update_is_refused(Secret):
    """Does a bulk update or insert with plaintext raise instead of storing it?"""
    Secret.create(body='sealed')
    with pytest.raises(TypeError):
        Secret.update(body='plain').execute()
    with pytest.raises(TypeError):
        Secret.insert_many([{'uid': 'x' * 32, 'body': 'plain'}]).execute()
    with pytest.raises(TypeError):
        Secret.select().where(Secret.body == 'sealed').count()
    assert all(b'plain' not in value for value in raw_values('body'))


def test_unknown_key_fails_cleanly(Secret, app):
    """Is a value sealed with a key that exists nowhere a DecryptionError?"""
    secret = Secret.create(body='key one')
    stored = bytearray(raw_values('body')[0])
    stored[1:3] = (99).to_bytes(2, 'big')  # the header's key id
    Secret.update(body=crypto.Sealed(bytes(stored))).where(Secret.id == secret.id).execute()
    with pytest.raises(DecryptionError, match='key 99 is not in the ring'):
        _ = Secret.get_by_id(secret.id).body


def add_key_elsewhere(app):
    """What ``keys rotate`` does in another process: a new key file, made current."""
    key_id = keys.create_data_key(app.instance_path)
    keys.InstanceSetting.set_value(keys.CURRENT_DATA_KEY, key_id)
    return key_id


def test_running_app_reads_values_rotated_by_another_process(Secret, app):
    """After `keys rotate` in another process, does a running app read the new key's values
    and seal its next write with the new key, without a restart?"""
    secret = Secret.create(body='before rotation')
    assert add_key_elsewhere(app) == 2
    other_process = KeyRing(app.instance_path)
    other_process.load()
    resealed = other_process.encrypt(b'after rotation', Secret.body.aad(secret))
    Secret.update(body=crypto.Sealed(resealed)).where(Secret.id == secret.id).execute()
    assert 2 not in crypto.keyring().keys  # this process has not seen key 2 yet
    assert Secret.get_by_id(secret.id).body == 'after rotation'
    Secret.create(body='written after the rotation')
    assert KeyRing.key_id_of(raw_values('body')[1]) == 2


def test_key_rotation_keeps_values_readable(Secret, runner, app):
    """Does `keys rotate` re-encrypt every value with key 2, all still readable?"""
    texts = ['value %d 日本' % n for n in range(25)]
    for text in texts:
        Secret.create(body=text, blob=text.encode())
    Secret.create(body=None)
    result = runner.invoke(args=['keys', 'rotate'])
    assert result.exit_code == 0, result.output
    assert 'Key 2 is current; 50 values re-encrypted in 1 pass(es).' in result.output
    assert '  key 1: 0\n  key 2: 50 (current)' in result.output
    assert {KeyRing.key_id_of(v) for v in raw_values('body') if v} == {2}
    assert {KeyRing.key_id_of(v) for v in raw_values('blob') if v} == {2}
    assert [s.body for s in Secret.select().order_by(Secret.id)] == texts + [None]
    assert [s.blob for s in Secret.select().order_by(Secret.id)][:25] == [
        t.encode() for t in texts]
    assert AuditEvent.head().action == 'keys_rotated'
    # Everything is under key 2 now: key 1 can be retired and its file go.
    result = runner.invoke(args=['keys', 'retire', '1'])
    assert result.exit_code == 0, result.output
    os.remove(os.path.join(app.instance_path, 'keys', 'data-0001.key'))
    crypto.keyring().reload()
    assert [s.body for s in Secret.select().order_by(Secret.id)] == texts + [None]


def test_old_key_still_reads_before_rotation_finishes(Secret, app):
    """Is a value sealed under an older key still readable after a new key was added?"""
    secret = Secret.create(body='sealed under key 1')
    assert add_key_elsewhere(app) == 2
    assert Secret.get_by_id(secret.id).body == 'sealed under key 1'
    newer = Secret.create(body='sealed under key 2')
    assert KeyRing.key_id_of(raw_values('body')[1]) == 2
    assert Secret.get_by_id(newer.id).body == 'sealed under key 2'


def test_key_files_are_private(app):
    """Are the data key, the audit key and the secret key created 0600, their folder 0700?"""
    keys = os.path.join(app.instance_path, 'keys')
    assert stat.S_IMODE(os.stat(keys).st_mode) == 0o700
    for name in os.listdir(keys):
        assert stat.S_IMODE(os.stat(os.path.join(keys, name)).st_mode) == 0o600, name
    assert 'data-0001.key' in os.listdir(keys)
    key = base64.b64decode(open(os.path.join(keys, 'data-0001.key'), 'rb').read())
    assert len(key) == 32


def init_fresh(tmp_path, **config):
    """A new instance and database made by init-db, as on a first start."""
    instance = tmp_path / 'fresh'
    instance.mkdir(mode=0o700)
    app = create_app(dict(TEST_CONFIG, INSTANCE_PATH=str(instance), STARTUP_CHECKS=False,
                          DATABASE_URL='sqlite:///%s' % (instance / 'db.sqlite3'), **config))
    result = app.test_cli_runner().invoke(args=['init-db'])
    assert result.exit_code == 0, result.output
    close_all()
    return instance


def test_secret_key_file_is_generated_private(tmp_path):
    """Does init-db make the Flask secret key a 0600 file when none is configured, used by every start?"""
    instance = init_fresh(tmp_path, SECRET_KEY='')
    path = instance / 'secret_key'
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    config = dict(TEST_CONFIG, INSTANCE_PATH=str(instance), SECRET_KEY='',
                  DATABASE_URL='sqlite:///%s' % (instance / 'db.sqlite3'))
    first = create_app(config)
    assert first.config['SECRET_KEY'] == path.read_text().strip()
    assert len(first.config['SECRET_KEY']) == 64
    assert create_app(config).config['SECRET_KEY'] == first.config['SECRET_KEY']
    close_all()


def test_refuses_to_start_with_readable_data_key(tmp_path, database_url):
    """Does the app refuse to start when a data key file is readable by others?"""
    instance = tmp_path / 'inst'
    instance.mkdir(mode=0o700)
    make_app(database_url, instance)
    key = instance / 'keys' / 'data-0001.key'
    os.chmod(key, 0o644)
    with pytest.raises(RuntimeError, match='chmod 600'):
        make_app(database_url, instance)
    os.chmod(key, 0o600)
    make_app(database_url, instance)


def test_refuses_to_start_with_readable_audit_key(tmp_path, database_url):
    """Does the app refuse to start when the audit-log key is group-readable?"""
    instance = tmp_path / 'inst'
    instance.mkdir(mode=0o700)
    make_app(database_url, instance)
    os.chmod(instance / 'keys' / 'audit-hmac.key', 0o640)
    with pytest.raises(RuntimeError):
        make_app(database_url, instance)


def test_refuses_to_start_with_readable_secret_key(tmp_path):
    """Does the app refuse to start when the secret_key file is mode 0644?"""
    instance = init_fresh(tmp_path, SECRET_KEY='')
    os.chmod(instance / 'secret_key', 0o644)
    with pytest.raises(RuntimeError, match='secret_key'):
        create_app(dict(TEST_CONFIG, INSTANCE_PATH=str(instance), SECRET_KEY='',
                        DATABASE_URL='sqlite:///%s' % (instance / 'db.sqlite3')))
    close_all()


def test_instance_path_from_environment(tmp_path, monkeypatch):
    """Does STINTRANET_INSTANCE_PATH move the instance folder (keys and database)?"""
    instance = tmp_path / 'moved'
    monkeypatch.setenv('STINTRANET_INSTANCE_PATH', str(instance))
    monkeypatch.delenv('STINTRANET_DATABASE_URL', raising=False)
    app = create_app({'TESTING': True, 'SECRET_KEY': 'x', 'STARTUP_CHECKS': False})
    assert app.instance_path == str(instance)
    assert app.config['DATABASE_URL'] == 'sqlite:///%s' % (instance / 'stintranet.sqlite3')
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    assert app.test_cli_runner().invoke(args=['init-db']).exit_code == 0
    assert (instance / 'keys' / 'data-0001.key').exists()
    close_all()


def test_new_sqlite_file_is_private(tmp_path):
    """Is a new SQLite database file created 0600?"""
    path = tmp_path / 'new.sqlite3'
    db = make_database('sqlite:///%s' % path)
    db.connect()
    db.execute_sql('CREATE TABLE t (x)')
    db.close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
