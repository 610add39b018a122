"""The instance's key files: created once by ``init-db``, checked at every start.

=================================  ==============================================
``keys/data-NNNN.key``             data-encryption keys (``crypto.KeyRing``)
``keys/audit-hmac.key``            the audit log's HMAC key
``keys/incident-reporter.key``     the key of incidents' ``reporter_ref``
``secret_key``                     Flask's session key (unless SECRET_KEY is set)
=================================  ==============================================

When a key is created its check value goes into the database (``key_check``):
an AES-GCM seal of a fixed text for a data key, an HMAC of it for the others.
At start-up every file is compared with its check value, so a key file that is
missing, empty, unreadable, readable by others or not the one the database was
made with stops the server and every command but ``init-db``, with a message
naming the file and saying what to do. Nothing here replaces a missing key:
keys are created only by ``init-db`` on an empty database.

Which data key encrypts new values is a database setting
(``instance_setting.current_data_key``), so every process follows a rotation.
"""
import base64
import glob
import hashlib
import hmac
import os
import re
import secrets
from collections import namedtuple

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from peewee import CharField, DateTimeField

from .config import SECRET_KEY_FILE, check_private, write_private
from .db import BaseModel, database, utcnow

KEYS_FOLDER = 'keys'
AUDIT_KEY = 'keys/audit-hmac.key'
REPORTER_KEY = 'keys/incident-reporter.key'
SECRET_KEY = SECRET_KEY_FILE
DATA_KEY_PATTERN = re.compile(r'^data-(\d{4,})\.key$')
CURRENT_DATA_KEY = 'current_data_key'
CHECK_TEXT = b'stintranet key check'
KEY_SIZE = 32

RESTORE = ('Put back the file from your key backup (README: "Restoring"); '
           'keys are created only by init-db on an empty database.')


class KeyProblem(Exception):
    """A key file is missing, unreadable or wrong; the message names it and says what to do."""


class KeyCheck(BaseModel):
    """The check value of a key file, stored when the key was created."""
    name = CharField(max_length=60, primary_key=True)  # path inside the instance folder
    check_value = CharField(max_length=200)
    created_at = DateTimeField(default=utcnow)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = 'key_check'

    @classmethod
    def data_keys(cls, rows=None):
        """The data keys' rows by key id (of ``rows``, every row by name, if given)."""
        if rows is None:
            rows = cls.select().where(cls.name.startswith(KEYS_FOLDER + '/data-'))
        else:
            rows = rows.values()
        return {data_key_id(row.name): row for row in rows if is_data_key(row.name)}

    @classmethod
    def by_name(cls):
        return {row.name: row for row in cls.select()}


class InstanceSetting(BaseModel):
    """A setting every process must agree on (the current data key)."""
    name = CharField(max_length=60, primary_key=True)
    value = CharField(max_length=200)

    class Meta:
        table_name = 'instance_setting'

    @classmethod
    def get_value(cls, name, default=None):
        row = (cls.select(cls.value).where(cls.name == name).tuples().first())
        return row[0] if row else default

    @classmethod
    def set_value(cls, name, value):
        (cls.insert(name=name, value=str(value))
         .on_conflict(conflict_target=[cls.name], update={cls.value: str(value)})
         .execute())


def data_key_name(key_id):
    return '%s/data-%04d.key' % (KEYS_FOLDER, key_id)


def data_key_id(name):
    return int(DATA_KEY_PATTERN.match(os.path.basename(name)).group(1))


def is_data_key(name):
    return bool(DATA_KEY_PATTERN.match(os.path.basename(name)))


def data_key_ids_on_disk(instance_path):
    ids = []
    for path in glob.glob(os.path.join(instance_path, KEYS_FOLDER, 'data-*.key')):
        if DATA_KEY_PATTERN.match(os.path.basename(path)):
            ids.append(data_key_id(path))
    return sorted(ids)


def encode_key(name, key):
    if is_data_key(name):
        return base64.b64encode(key) + b'\n'
    return key.hex().encode() + b'\n'


def read_key(instance_path, name):
    """The 32 bytes in key file ``name``; KeyProblem when it is not a usable key file."""
    path = os.path.join(instance_path, name)
    if not os.path.exists(path):
        raise KeyProblem('%s is missing. %s' % (path, RESTORE))
    try:
        check_private(path)
        with open(path, 'rb') as fh:
            text = fh.read().strip()
    except RuntimeError as exc:
        raise KeyProblem(str(exc)) from None
    except OSError as exc:
        raise KeyProblem('%s cannot be read (%s): it must be a file owned by the user the '
                         'app runs as, mode 0600.' % (path, exc.strerror)) from None
    if not text:
        raise KeyProblem('%s is empty. %s' % (path, RESTORE))
    try:
        key = base64.b64decode(text, validate=True) if is_data_key(name) else bytes.fromhex(
            text.decode('ascii'))
    except ValueError:
        key = b''
    if len(key) != KEY_SIZE:
        raise KeyProblem('%s does not hold a 256-bit key (damaged or not a key file). %s'
                         % (path, RESTORE))
    return key


def check_value(name, key):
    """What the database keeps to recognise the key of file ``name``."""
    if is_data_key(name):
        nonce = secrets.token_bytes(12)
        return base64.b64encode(nonce + AESGCM(key).encrypt(nonce, CHECK_TEXT, name.encode())
                                ).decode()
    return hmac.new(key, CHECK_TEXT + b'\x1f' + name.encode(), hashlib.sha256).hexdigest()


def matches(name, key, value):
    if is_data_key(name):
        try:
            token = base64.b64decode(value)
            return AESGCM(key).decrypt(token[:12], token[12:], name.encode()) == CHECK_TEXT
        except (ValueError, InvalidTag):
            return False
    return hmac.compare_digest(check_value(name, key), value)


def _checked(instance_path, name, row):
    key = read_key(instance_path, name)
    if not matches(name, key, row.check_value):
        raise KeyProblem(
            '%s is not the key this database was created with (it does not match the check '
            'value stored when the key was made). %s'
            % (os.path.join(instance_path, name), RESTORE))
    return key


def load_key(instance_path, name, rows=None):
    """The checked key of file ``name`` (the audit, reporter or secret key)."""
    row = (rows.get(name) if rows is not None
           else KeyCheck.get_or_none(KeyCheck.name == name))
    if row is None:
        raise KeyProblem('The database holds no check value for %s: run '
                         '"flask --app app init-db" (it records the keys of a database made '
                         'before key checks).' % os.path.join(instance_path, name))
    return _checked(instance_path, name, row)


def load_data_keys(instance_path, rows=None):
    """({key id: key} of every data key in use, the current key id), each file checked.

    A retired key's file may be gone; if it is still there it is loaded too.
    """
    rows = KeyCheck.data_keys(rows)
    current = InstanceSetting.get_value(CURRENT_DATA_KEY)
    if not rows or current is None:
        raise KeyProblem('The database holds no data key: run "flask --app app init-db".')
    current = int(current)
    found = {}
    for key_id, row in sorted(rows.items()):
        name = data_key_name(key_id)
        if row.retired_at and not os.path.exists(os.path.join(instance_path, name)):
            continue
        found[key_id] = _checked(instance_path, name, row)
    if current not in found:
        raise KeyProblem('%s (the current data key) is missing. %s'
                         % (os.path.join(instance_path, data_key_name(current)), RESTORE))
    return found, current


Keys = namedtuple('Keys', 'data current audit reporter secret')


def load_all(instance_path, secret=True):
    """Every key, checked; KeyProblem naming each file that is wrong.

    ``secret`` is False when SECRET_KEY is configured (the file is then unused).
    """
    problems = []

    def attempt(func, *args):
        try:
            return func(*args)
        except KeyProblem as exc:
            problems.append(str(exc))

    rows = KeyCheck.by_name()
    data = attempt(load_data_keys, instance_path, rows) or ({}, None)
    audit = attempt(load_key, instance_path, AUDIT_KEY, rows)
    reporter = attempt(load_key, instance_path, REPORTER_KEY, rows)
    secret_key = attempt(load_key, instance_path, SECRET_KEY, rows) if secret else None
    if problems:
        raise KeyProblem('\n'.join(problems))
    return Keys(data[0], data[1], audit, reporter, secret_key.hex() if secret_key else None)


def fixed_names(secret=True):
    return [AUDIT_KEY, REPORTER_KEY] + ([SECRET_KEY] if secret else [])


def create_missing(instance_path, secret=True):
    """Create the key files that are not there (``init-db`` on an empty database only)."""
    os.makedirs(os.path.join(instance_path, KEYS_FOLDER), mode=0o700, exist_ok=True)
    names = list(fixed_names(secret))
    if not data_key_ids_on_disk(instance_path):
        names.insert(0, data_key_name(1))
    created = []
    for name in names:
        path = os.path.join(instance_path, name)
        if not os.path.exists(path):
            write_private(path, encode_key(name, secrets.token_bytes(KEY_SIZE)))
            created.append(name)
    return created


def create_data_key(instance_path):
    """A new data key file and its check value (``keys rotate``); return its id.

    It does not become current here: ``crypto.rotate`` switches to it.
    """
    used = set(data_key_ids_on_disk(instance_path)) | set(KeyCheck.data_keys())
    key_id = max(used, default=0) + 1
    if key_id > 0xFFFF:
        raise KeyProblem('The data key id space is exhausted.')
    name = data_key_name(key_id)
    key = secrets.token_bytes(KEY_SIZE)
    write_private(os.path.join(instance_path, name), encode_key(name, key))
    with database.atomic():
        KeyCheck.create(name=name, check_value=check_value(name, key))
    return key_id


def record_checks(instance_path, secret=True):
    """Store the check value of every key file that has none (a new database, or one
    made before key checks); make the newest data key current if none is. Return the
    names recorded. A missing file is a KeyProblem: nothing is created here."""
    known = {row.name for row in KeyCheck.select(KeyCheck.name)}
    names = [data_key_name(i) for i in data_key_ids_on_disk(instance_path)]
    if not names and not any(is_data_key(n) for n in known):
        names.append(data_key_name(1))  # reported as missing below
    names += fixed_names(secret)
    recorded = []
    with database.atomic():
        for name in names:
            if name not in known:
                key = read_key(instance_path, name)
                KeyCheck.create(name=name, check_value=check_value(name, key))
                recorded.append(name)
        if InstanceSetting.get_value(CURRENT_DATA_KEY) is None:
            InstanceSetting.set_value(CURRENT_DATA_KEY, max(KeyCheck.data_keys()))
    return recorded


def retire_data_key(key_id):
    """Mark a data key retired (``keys retire``): its file is no longer needed to start."""
    with database.atomic():
        return (KeyCheck.update(retired_at=utcnow())
                .where((KeyCheck.name == data_key_name(key_id)) & KeyCheck.retired_at.is_null())
                .execute())
