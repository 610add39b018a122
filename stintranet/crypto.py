"""Encryption at rest: a key ring and AES-256-GCM peewee fields.

Every value is sealed with associated data naming its table, column and row
(the row's ``uid``), so a ciphertext copied into another row or column fails
to open. Keys are 32 random bytes in 0600 files ``instance/keys/data-NNNN.key``;
the highest number is the current key, older ones stay readable until
``flask keys rotate`` has re-encrypted everything with a new one.

Plaintext never reaches the database by accident: the fields only accept
values sealed by ``EncryptedModel.save()``, so a bulk ``update()`` or
``insert_many()`` with plaintext raises instead of storing it.
"""
import base64
import glob
import os
import re
import secrets
import struct
import uuid

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from peewee import BlobField, CharField, FieldAccessor

from .config import check_private, write_private
from .db import BaseModel, database

FORMAT_VERSION = 1
HEADER = struct.Struct('>BH')  # format version, key id
NONCE_SIZE = 12
KEY_FILE_PATTERN = re.compile(r'^data-(\d{4,})\.key$')


class DecryptionError(Exception):
    """A value could not be opened: wrong row, tampered, or unknown key."""


class KeyRing:
    """The data-encryption keys of an instance; encrypts with the newest."""

    def __init__(self, directory):
        self.directory = directory
        self.keys = {}
        self.reload()

    def reload(self):
        self.keys = {}
        for path in glob.glob(os.path.join(self.directory, 'data-*.key')):
            match = KEY_FILE_PATTERN.match(os.path.basename(path))
            if not match:
                continue
            check_private(path)
            with open(path, 'rb') as fh:
                key = base64.b64decode(fh.read().strip())
            if len(key) != 32:
                raise RuntimeError('%s does not hold a 256-bit key.' % path)
            self.keys[int(match.group(1))] = AESGCM(key)

    @classmethod
    def open(cls, directory):
        """Load the ring, creating the directory and a first key if needed."""
        os.makedirs(directory, mode=0o700, exist_ok=True)
        ring = cls(directory)
        if not ring.keys:
            ring.add_key()
        return ring

    @property
    def current_id(self):
        return max(self.keys)

    def add_key(self):
        """Generate a new key that becomes the current one; return its id."""
        key_id = max(self.keys, default=0) + 1
        if key_id > 0xFFFF:
            raise RuntimeError('key id space exhausted')
        path = os.path.join(self.directory, 'data-%04d.key' % key_id)
        write_private(path, base64.b64encode(secrets.token_bytes(32)) + b'\n')
        self.reload()
        return key_id

    def encrypt(self, plaintext, aad):
        key_id = self.current_id
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
            self.reload()
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
    global _ring
    _ring = KeyRing.open(os.path.join(app.instance_path, 'keys'))
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
        return ('%s\x1f%s\x1f%s' % (
            self.model._meta.table_name, self.column_name, instance.uid)).encode()

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
        plain = {}
        for field in self.encrypted_fields():
            value = self.__data__.get(field.name)
            if value is not None and not isinstance(value, Sealed):
                plain[field.name] = value
                self.__data__[field.name] = field.seal(self, value)
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


def rotate(batch_size=500):
    """Add a key and re-encrypt every value with it; return (key id, values)."""
    ring = keyring()
    key_id = ring.add_key()
    count = 0
    with database.atomic():
        for model in encrypted_models():
            fields = model.encrypted_fields()
            query = model.select(model.id, model.uid, *fields).order_by(model.id)
            for row in query.iterator():
                changes = {}
                for field in fields:
                    raw = row.__data__.get(field.name)
                    if raw is None:
                        continue
                    changes[field] = field.seal(row, field.open(row, raw))
                    count += 1
                if changes:
                    model.update(changes).where(model.id == row.id).execute()
    return key_id, count
