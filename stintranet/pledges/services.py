"""Publishing a pledge version and signing it."""
from flask_babel import gettext as _
from peewee import IntegrityError, fn

from .. import auditlog
from ..db import database, utcnow
from ..training.content import name_key, normalise_text, sha256_text
from .models import PledgeSignature, PledgeVersion


class Conflict(Exception):
    """Stale or repeated (409)."""


class NameMismatch(ValueError):
    """The typed name is not the signer's account name (422)."""


def publish_version(title, text, note, actor, based_on):
    """Publish the next version; everyone is asked to sign it.

    ``based_on`` is the number of the version the author started from (0 for
    the first): a newer one published meanwhile is a Conflict.
    """
    text = normalise_text(text)
    with database.atomic():
        latest = PledgeVersion.select(fn.MAX(PledgeVersion.number)).scalar() or 0
        if latest != based_on:
            raise Conflict(_('Version %(n)d was published while you were writing. Read it '
                             'and publish yours on top of it.', n=latest))
        try:
            with database.atomic():
                version = PledgeVersion.create(
                    number=latest + 1, title=title.strip(), text=text,
                    text_sha256=sha256_text(text), note=normalise_text(note),
                    published_at=utcnow(), published_by=actor)
        except IntegrityError:
            raise Conflict(_('Version %(n)d was published while you were writing. Read it '
                             'and publish yours on top of it.', n=latest + 1)) from None
        auditlog.record('publish', version, actor=actor, details={
            'number': version.number, 'sha256': version.text_sha256})
    return version


def sign(user, version_number, text_sha256, typed_name):
    """Sign the current version by typing one's own name; keep time, version and hash."""
    if name_key(typed_name) != name_key(user.name) or not name_key(typed_name):
        raise NameMismatch(_('Type your own name exactly as on your account: %(name)s.',
                             name=user.name))
    with database.atomic():
        current = PledgeVersion.current()
        if current is None:
            raise Conflict(_('No pledge has been published yet.'))
        if current.number != version_number or current.text_sha256 != text_sha256:
            raise Conflict(_('A new version of the pledge (version %(n)d) was published '
                             'while you were reading. Read it and sign again.',
                             n=current.number))
        if PledgeSignature.find(user, current) is not None:
            raise Conflict(_('You signed version %(n)d already.', n=current.number))
        try:
            with database.atomic():
                signature = PledgeSignature.create(
                    version=current, user=user.id, typed_name=typed_name.strip(),
                    signed_at=utcnow(), text_sha256=sha256_text(current.text))
        except IntegrityError:
            raise Conflict(_('You signed version %(n)d already.', n=current.number)) from None
        auditlog.record('sign', signature, actor=user, details={
            'version': current.number, 'sha256': signature.text_sha256})
    return signature
