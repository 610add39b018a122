"""Guideline documents and their immutable versions."""
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

from ..auth.models import User
from ..db import BaseModel, utcnow


class Guideline(BaseModel):
    code = CharField(max_length=32, unique=True)
    title = CharField(max_length=200)  # the title of the current version
    created_at = DateTimeField(default=utcnow)
    created_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'guideline'

    def current_version(self):
        return (GuidelineVersion.select().where(GuidelineVersion.guideline == self)
                .order_by(GuidelineVersion.number.desc()).first())

    def versions(self):
        """Every version, newest first, with the name of who published it
        (``publisher``, on each version through ``objects()``): one query."""
        return (GuidelineVersion.select(GuidelineVersion, User.name.alias('publisher'))
                .join(User, JOIN.LEFT_OUTER, on=(GuidelineVersion.published_by == User.id))
                .where(GuidelineVersion.guideline == self)
                .order_by(GuidelineVersion.number.desc()).objects())

    def version(self, number):
        return GuidelineVersion.get_or_none((GuidelineVersion.guideline == self)
                                            & (GuidelineVersion.number == number))

    @classmethod
    def listing(cls):
        """Every guideline with its current version as ``current`` and the name of who
        published it as ``current.publisher.name`` (one query)."""
        other = GuidelineVersion.alias()
        newest = other.select(fn.MAX(other.number)).where(other.guideline == cls.id)
        return (cls.select(cls, GuidelineVersion, User.id, User.name)
                .join(GuidelineVersion, on=((GuidelineVersion.guideline == cls.id)
                                            & (GuidelineVersion.number == newest)),
                      attr='current')
                .join_from(GuidelineVersion, User, JOIN.LEFT_OUTER,
                           on=(GuidelineVersion.published_by == User.id), attr='publisher')
                .order_by(cls.code))

    @classmethod
    def by_code(cls, code):
        return cls.get_or_none(cls.code == (code or '').strip().upper())


class GuidelineVersion(BaseModel):
    guideline = ForeignKeyField(Guideline, on_delete='CASCADE', backref='version_rows')
    number = IntegerField()
    title = CharField(max_length=200)
    body = TextField()  # Markdown, rendered sanitised
    body_sha256 = CharField(max_length=64)
    change_note = TextField(default='')
    published_at = DateTimeField(default=utcnow)
    published_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'guideline_version'
        indexes = ((('guideline', 'number'), True),)
