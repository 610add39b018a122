"""Envelope encryption of submitted documents.

Each request has a random 256-bit data key of its own, kept in the request row
sealed by the key ring (an ``EncryptedBlobField``). Each document's content and
file name, and each kept copy of a letter sent, are sealed with that data key
(AES-256-GCM) and associated data naming the request, the document (or copy)
and the part, so a ciphertext moved to
another row fails to open. Destroying the data key makes every copy of the
documents unreadable; deleting the rows removes the ciphertext as well.
"""
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ..crypto import DecryptionError

FORMAT_VERSION = b'\x01'
NONCE_SIZE = 12
KEY_SIZE = 32


def new_data_key():
    return secrets.token_bytes(KEY_SIZE)


def document_aad(request_id, document_id, part):
    """Binds a sealed value to its request, its document and the part (content, filename)."""
    return ('disclosure_document\x1f%d\x1f%d\x1f%s' % (request_id, document_id, part)).encode()


def letter_copy_aad(request_id, copy_id):
    """Binds a kept copy of a letter to its request and its row."""
    return ('disclosure_letter_copy\x1f%d\x1f%d\x1fcontent' % (request_id, copy_id)).encode()


def seal(data_key, plaintext, aad):
    if not data_key or len(data_key) != KEY_SIZE:
        raise DecryptionError('the data key is missing (the documents were destroyed)')
    nonce = secrets.token_bytes(NONCE_SIZE)
    return FORMAT_VERSION + nonce + AESGCM(data_key).encrypt(nonce, bytes(plaintext), aad)


def open_sealed(data_key, token, aad):
    if not data_key or len(data_key) != KEY_SIZE:
        raise DecryptionError('the data key is missing (the documents were destroyed)')
    token = bytes(token)
    if token[:1] != FORMAT_VERSION or len(token) < 1 + NONCE_SIZE + 16:
        raise DecryptionError('not a sealed document')
    nonce = token[1:1 + NONCE_SIZE]
    try:
        return AESGCM(data_key).decrypt(nonce, token[1 + NONCE_SIZE:], aad)
    except InvalidTag:
        raise DecryptionError('the document does not belong here or was altered') from None
