"""Publishing guideline documents and their new versions."""
from flask_babel import gettext as _
from peewee import IntegrityError, fn

from .. import auditlog
from ..db import database, utcnow
from ..training.content import normalise_text, sha256_text
from .models import Guideline, GuidelineVersion


class Conflict(Exception):
    """A newer version was published meanwhile (409)."""


class Unchanged(ValueError):
    """The new version would be identical to the current one (422)."""


def _add_version(guideline, number, title, body, note, actor):
    body = normalise_text(body)
    try:
        with database.atomic():
            version = GuidelineVersion.create(
                guideline=guideline, number=number, title=title.strip(), body=body,
                body_sha256=sha256_text(body), change_note=normalise_text(note),
                published_at=utcnow(), published_by=actor)
    except IntegrityError:
        raise Conflict(_('Version %(n)d was published by someone else meanwhile.',
                         n=number)) from None
    auditlog.record('publish', version, actor=actor, details={
        'guideline': guideline.id, 'code': guideline.code, 'number': number,
        'sha256': version.body_sha256})
    return version


def create_guideline(code, title, body, note, actor):
    """A new guideline document and its version 1."""
    with database.atomic():
        try:
            with database.atomic():
                guideline = Guideline.create(code=code.strip().upper(), title=title.strip(),
                                             created_at=utcnow(), created_by=actor)
        except IntegrityError:
            raise Conflict(_('Another guideline already has the code %(code)s.',
                             code=code.strip().upper())) from None
        auditlog.record('create', guideline, actor=actor, details={'code': guideline.code})
        _add_version(guideline, 1, title, body, note, actor)
    return guideline


def publish_version(guideline, title, body, note, actor, based_on):
    """The next version; ``based_on`` is the version the author edited."""
    with database.atomic():
        latest = (GuidelineVersion.select(fn.MAX(GuidelineVersion.number))
                  .where(GuidelineVersion.guideline == guideline.id).scalar() or 0)
        if latest != based_on:
            raise Conflict(_('Version %(n)d was published while you were editing. Compare '
                             'it with yours and publish again.', n=latest))
        current = guideline.current_version()
        if current is not None and normalise_text(body) == current.body \
                and title.strip() == current.title:
            raise Unchanged(_('Nothing changed: the text and title are those of version '
                              '%(n)d.', n=latest))
        version = _add_version(guideline, latest + 1, title, body, note, actor)
        guideline.title = version.title
        guideline.save()
    return version
