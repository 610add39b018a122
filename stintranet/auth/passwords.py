"""argon2id hashing and the password policy."""
import os
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import gettext as _

COMMON_PASSWORDS_FILE = os.path.join(os.path.dirname(__file__), 'common_passwords.txt')


def hasher():
    config = current_app.config
    key = (config['ARGON2_TIME_COST'], config['ARGON2_MEMORY_COST'],
           config['ARGON2_PARALLELISM'])
    return _hasher(*key)


@lru_cache(maxsize=4)
def _hasher(time_cost, memory_cost, parallelism):
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost,
                          parallelism=parallelism)


@lru_cache(maxsize=4)
def _dummy_hash(time_cost, memory_cost, parallelism):
    return _hasher(time_cost, memory_cost, parallelism).hash('not a real password')


def hash_password(password):
    return hasher().hash(password)


def verify_password(password_hash, password):
    """True when ``password`` matches; never raises on a malformed hash."""
    try:
        return hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_verification(password):
    """Spend the time of a real verification, for unknown accounts."""
    config = current_app.config
    dummy = _dummy_hash(config['ARGON2_TIME_COST'], config['ARGON2_MEMORY_COST'],
                        config['ARGON2_PARALLELISM'])
    verify_password(dummy, password)


def needs_rehash(password_hash):
    try:
        return hasher().check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


@lru_cache(maxsize=1)
def common_passwords():
    with open(COMMON_PASSWORDS_FILE, encoding='utf-8') as fh:
        return frozenset(line.strip().lower() for line in fh
                         if line.strip() and not line.startswith('#'))


def policy_errors(password, email):
    """The reasons ``password`` is not acceptable for ``email`` (empty when fine)."""
    errors = []
    minimum = current_app.config['PASSWORD_MIN_LENGTH']
    if len(password) < minimum:
        errors.append(_('Use at least %(n)d characters.', n=minimum))
    if len(password) > 256:
        errors.append(_('Use at most 256 characters.'))
    local = (email or '').split('@', 1)[0].strip().lower()
    lowered = password.lower()
    if len(local) >= 3 and local in lowered:
        errors.append(_('Do not use your e-mail name in your password.'))
    if lowered in common_passwords() or lowered.rstrip('0123456789!?.') in common_passwords():
        errors.append(_('This password is too common; choose another.'))
    elif len(set(lowered)) < 4:
        errors.append(_('Use more different characters.'))
    return errors
