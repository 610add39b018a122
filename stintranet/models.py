"""The bookkeeping columns that records edited through forms share.

``Bookkeeping`` is the version checked on save (a stale save gets 409) and the
times the record was created and last changed; ``Tracked`` adds who did both.
A model declares its own column where it differs (``created_by`` that may not be
NULL, or without ON DELETE SET NULL): the migrations, not the models, made the
tables, and tests/test_schema.py keeps the two the same.
"""
from peewee import DateTimeField, ForeignKeyField, IntegerField

from .auth.models import User
from .db import BaseModel, utcnow


class Bookkeeping(BaseModel):
    """The optimistic-lock version and the creation and last-change times (UTC)."""
    version = IntegerField(default=1)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)


class Tracked(Bookkeeping):
    """``Bookkeeping`` and the accounts that created and last changed the record; a
    deleted account leaves NULL."""
    created_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
