"""Encryption at rest: a key ring and AES-256-GCM peewee fields.

Every value is sealed with associated data naming its table, column and row
(the row's ``uid``), so a ciphertext copied into another row or column fails
to open. Keys are 32 random bytes in 0600 files ``instance/keys/data-NNNN.key``,
each checked against the database at start-up (``keys.py``). The database names
the current key; older ones stay readable until ``flask keys rotate`` has
re-encrypted everything with a new one and ``flask keys retire`` has let go of them.

Plaintext never reaches the database by accident: the fields only accept
values sealed by ``EncryptedModel.save()``, so a bulk ``update()`` or
``insert_many()`` with plaintext raises instead of storing it.
"""
import secrets
import struct
import time
import uuid
from collections import Counter

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from peewee import SQL, BlobField, CharField, FieldAccessor, fn

from . import keys
from .db import BaseModel, database, is_sqlite

FORMAT_VERSION = 1
HEADER = struct.Struct('>BH')  # format version, key id
NONCE_SIZE = 12


class DecryptionError(Exception):
    """A value could not be opened: wrong row, tampered, or unknown key."""


class KeyRing:
    """The data-encryption keys of an instance; encrypts with the database's current key."""

    def __init__(self, instance_path):
        self.instance_path = instance_path
        self.keys = {}
        self.current_id = None

    def load(self):
        """Read and check the key files the database lists (KeyProblem when one is wrong)."""
        data, current = keys.load_data_keys(self.instance_path)
        self.keys = {key_id: AESGCM(key) for key_id, key in data.items()}
        self.current_id = current

    reload = load

    def sync(self):
        """Follow ``keys rotate`` in another process: reload when the current key changed.

        One primary-key read; ``EncryptedModel.save()`` calls it inside its transaction
        (see ``rotate``)."""
        current = keys.InstanceSetting.get_value(keys.CURRENT_DATA_KEY)
        if current is None or int(current) != self.current_id:
            self.load()

    def encrypt(self, plaintext, aad, key_id=None):
        if self.current_id is None:
            self.load()
        key_id = self.current_id if key_id is None else key_id
        nonce = secrets.token_bytes(NONCE_SIZE)
        sealed = self.keys[key_id].encrypt(nonce, plaintext, aad)
        return HEADER.pack(FORMAT_VERSION, key_id) + nonce + sealed

    def decrypt(self, token, aad):
        try:
            version, key_id = HEADER.unpack_from(token)
        except struct.error:
            raise DecryptionError('value too short') from None
        if version != FORMAT_VERSION:
            raise DecryptionError('unknown format %d' % version)
        key = self.keys.get(key_id)
        if key is None:
            # ``flask keys rotate`` in another process may have added it since we loaded.
            self.load()
            key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError('key %d is not in the ring' % key_id)
        start = HEADER.size
        nonce = token[start:start + NONCE_SIZE]
        try:
            return key.decrypt(nonce, token[start + NONCE_SIZE:], aad)
        except InvalidTag:
            raise DecryptionError('value does not belong here or was altered') from None

    @staticmethod
    def key_id_of(token):
        return HEADER.unpack_from(token)[1]


_ring = None


def init_app(app):
    """The ring loads its keys on first use (``startup.check`` loads them at start)."""
    global _ring
    _ring = KeyRing(app.instance_path)
    app.extensions['keyring'] = _ring


def keyring():
    if _ring is None:
        raise RuntimeError('the key ring is not loaded; create the app first')
    return _ring


class Sealed(bytes):
    """Ciphertext as stored; anything else is plaintext."""


class EncryptedAccessor(FieldAccessor):
    """Opens the stored value on first read, with the row's context."""

    def __get__(self, instance, instance_type=None):
        if instance is None:
            return self.field
        value = instance.__data__.get(self.name)
        if isinstance(value, Sealed):
            value = self.field.open(instance, value)
            instance.__data__[self.name] = value
        return value


class _EncryptedField(BlobField):
    accessor_class = EncryptedAccessor

    def aad(self, instance):
        return self.aad_for(instance.uid)

    def aad_for(self, uid):
        return ('%s\x1f%s\x1f%s' % (self.model._meta.table_name, self.column_name, uid)).encode()

    def seal(self, instance, plaintext):
        return Sealed(keyring().encrypt(self.to_bytes(plaintext), self.aad(instance)))

    def open(self, instance, sealed):
        return self.from_bytes(keyring().decrypt(bytes(sealed), self.aad(instance)))

    def db_value(self, value):
        if value is None:
            return None
        if not isinstance(value, Sealed):
            raise TypeError('%s.%s is encrypted: write it through save()' % (
                self.model.__name__, self.name))
        return super().db_value(bytes(value))

    def python_value(self, value):
        if value is None:
            return None
        return Sealed(bytes(value))


class EncryptedTextField(_EncryptedField):
    """Text encrypted at rest."""

    @staticmethod
    def to_bytes(value):
        return str(value).encode('utf-8')

    @staticmethod
    def from_bytes(data):
        return data.decode('utf-8')


class EncryptedBlobField(_EncryptedField):
    """Bytes (uploaded documents) encrypted at rest."""

    @staticmethod
    def to_bytes(value):
        return bytes(value)

    @staticmethod
    def from_bytes(data):
        return data


def new_uid():
    return uuid.uuid4().hex


class EncryptedModel(BaseModel):
    """A model with encrypted fields; ``uid`` binds each value to its row."""

    uid = CharField(max_length=32, unique=True, default=new_uid)

    @classmethod
    def encrypted_fields(cls):
        return [f for f in cls._meta.sorted_fields if isinstance(f, _EncryptedField)]

    def save(self, *args, **kwargs):
        plain = {field.name: self.__data__[field.name] for field in self.encrypted_fields()
                 if self.__data__.get(field.name) is not None
                 and not isinstance(self.__data__[field.name], Sealed)}
        if not plain:
            return super().save(*args, **kwargs)
        with database.atomic():
            # Read the current key inside the write's transaction: ``rotate`` then
            # either sees this row or this save sees the new key.
            keyring().sync()
            for name, value in plain.items():
                self.__data__[name] = self._meta.fields[name].seal(self, value)
            try:
                return super().save(*args, **kwargs)
            finally:
                self.__data__.update(plain)


def encrypted_models():
    found, todo = [], list(EncryptedModel.__subclasses__())
    while todo:
        model = todo.pop()
        todo.extend(model.__subclasses__())
        if model.encrypted_fields():
            found.append(model)
    return sorted(found, key=lambda m: m._meta.table_name)


def _key_of(expression):
    """The key id bytes of a stored value, in SQL (SQLite blob, PostgreSQL bytea).

    Literal positions, so PostgreSQL sees the same expression in SELECT and GROUP BY."""
    return fn.SUBSTR(expression, SQL('2'), SQL('2'))


def values_per_key():
    """{key id: number of stored values sealed with it}, over every encrypted column."""
    counts = Counter()
    for model in encrypted_models():
        for field in model.encrypted_fields():
            key = _key_of(field).coerce(False)
            query = (model.select(key, fn.COUNT(model.id)).where(field.is_null(False))
                     .group_by(key).tuples())
            for raw, number in query:
                counts[int.from_bytes(bytes(raw), 'big')] += number
    return dict(counts)


BATCH_BYTES = 8 * 1024 * 1024


def _reencrypt_column(model, field, key_id, batch_size, failures):
    """One pass over a column: re-seal with ``key_id`` every value on another key.

    Reads a batch, re-seals it outside any transaction, then writes each value
    back only if it is still the one read (compare-and-swap on the ciphertext),
    in one short transaction per batch: a writer waits at most for one batch, and
    an edit made meanwhile is never overwritten (the next pass takes it up).
    """
    ring = keyring()
    current = Sealed(HEADER.pack(FORMAT_VERSION, key_id)[1:])
    done, last_id = 0, 0
    while True:
        candidates = list(
            model.select(model.id, fn.LENGTH(field).coerce(False))
            .where((model.id > last_id) & field.is_null(False)
                   & (_key_of(field) != current))
            .order_by(model.id).limit(batch_size).tuples())
        if not candidates:
            return done
        ids, size = [], 0
        for row_id, length in candidates:  # documents: a batch holds ~8 MB at most
            if ids and size + (length or 0) > BATCH_BYTES:
                break
            ids.append(row_id)
            size += length or 0
        last_id = ids[-1]
        rows = model.select(model.id, model.uid, field).where(model.id.in_(ids)).tuples()
        changes = []
        for row_id, uid, old in rows:
            if old is None:
                continue
            aad = field.aad_for(uid)
            try:
                plaintext = ring.decrypt(bytes(old), aad)
            except DecryptionError as exc:
                failures.append('%s.%s id %d: %s' % (model._meta.table_name, field.column_name,
                                                     row_id, exc))
                continue
            changes.append((row_id, old, Sealed(ring.encrypt(plaintext, aad, key_id))))
        with database.atomic():
            for row_id, old, new in changes:
                done += (model.update({field: new})
                         .where((model.id == row_id) & (field == old)).execute())


def _wait_for_older_transactions(timeout):
    """PostgreSQL: wait until every transaction begun before the key switch has ended.

    A writer reads the current key inside its transaction, so once those are over
    no value can still be sealed with the old key. (On SQLite the switch takes the
    write lock, which the writers hold for their whole transaction.)
    """
    if is_sqlite():
        return True
    switched = database.execute_sql('SELECT clock_timestamp()').fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        older = database.execute_sql(
            'SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() '
            'AND pid <> pg_backend_pid() AND xact_start < %s', (switched,)).fetchone()[0]
        if not older:
            return True
        time.sleep(0.05)
    return False


def finish_rotation(batch_size=200, max_passes=20, wait_seconds=60):
    """Re-encrypt with the current key every value still on another one.

    Passes repeat while values remain on older keys (edits made during a pass by
    a process that had not yet seen the new key). Returns (values re-encrypted,
    passes, failures): a value that cannot be opened is named, and left.
    """
    ring = keyring()
    ring.load()
    key_id = ring.current_id
    _wait_for_older_transactions(wait_seconds)
    done, passes, failures = 0, 0, []
    while passes < max_passes:
        passes += 1
        failures = []
        for model in encrypted_models():
            for field in model.encrypted_fields():
                done += _reencrypt_column(model, field, key_id, batch_size, failures)
        remaining = sum(n for k, n in values_per_key().items() if k != key_id)
        if remaining <= len(failures):
            break
        time.sleep(0.1)
    return done, passes, failures


def rotate(batch_size=200, max_passes=20, wait_seconds=60):
    """Make a new data key current in every process and re-encrypt everything with it.

    The new key is the one ``keys add`` prepared (already copied to every app server),
    or one made now. Returns (new key id, values re-encrypted, passes, failures).
    """
    ring = keyring()
    ring.load()
    prepared = [key_id for key_id, row in keys.KeyCheck.data_keys().items()
                if key_id > ring.current_id and not row.retired_at]
    key_id = max(prepared) if prepared else keys.create_data_key(ring.instance_path)
    with database.atomic():
        keys.InstanceSetting.set_value(keys.CURRENT_DATA_KEY, key_id)
    done, passes, failures = finish_rotation(batch_size, max_passes, wait_seconds)
    return key_id, done, passes, failures
