"""Pledge versions and signatures; per-department signature figures."""
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, JOIN, TextField, fn

from ..auth.models import Department, User
from ..db import BaseModel, utcnow
from ..training import people


class PledgeVersion(BaseModel):
    """One published text of the pledge; never edited once published."""
    number = IntegerField(unique=True)
    title = CharField(max_length=200)
    text = TextField()
    text_sha256 = CharField(max_length=64)
    note = TextField(default='')
    published_at = DateTimeField(default=utcnow)
    published_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')

    class Meta:
        table_name = 'pledge_version'

    def paragraphs(self):
        """The text as paragraphs of lines, for safe rendering (no HTML in pledges)."""
        return [block.split('\n') for block in self.text.split('\n\n') if block.strip()]

    @classmethod
    def current(cls):
        return cls.select().order_by(cls.number.desc()).first()

    @classmethod
    def by_number(cls, number):
        return cls.get_or_none(cls.number == number)

    @classmethod
    def with_signature_counts(cls):
        """Every version, newest first, with its number of signatures (one query)."""
        return (cls.select(cls, User.name.alias('publisher'),
                           fn.COUNT(PledgeSignature.id).alias('signatures'))
                .join(User, JOIN.LEFT_OUTER, on=(cls.published_by == User.id))
                .switch(cls)
                .join(PledgeSignature, JOIN.LEFT_OUTER,
                      on=(PledgeSignature.version == cls.id))
                .group_by(cls.id, User.name).order_by(cls.number.desc()))


class PledgeSignature(BaseModel):
    version = ForeignKeyField(PledgeVersion, on_delete='CASCADE', backref='signatures')
    user = ForeignKeyField(User, on_delete='CASCADE', backref='+', index=True)
    typed_name = CharField(max_length=120)
    signed_at = DateTimeField(default=utcnow)
    text_sha256 = CharField(max_length=64)  # of the exact text signed

    class Meta:
        table_name = 'pledge_signature'
        indexes = ((('version', 'user'), True),)

    @classmethod
    def of_user(cls, user):
        return (cls.select(cls, PledgeVersion)
                .join(PledgeVersion, on=(cls.version == PledgeVersion.id))
                .where(cls.user == user.id).order_by(PledgeVersion.number.desc()))

    @classmethod
    def find(cls, user, version):
        if version is None:
            return None
        return cls.get_or_none((cls.user == user.id) & (cls.version == version.id))


class PledgeRow:
    """A department's signatures of the current version; the rate rounds down."""

    def __init__(self, department_id, code, name, people_count, signed):
        self.department_id, self.code, self.name = department_id, code, name
        self.people, self.signed = people_count, signed

    @property
    def unsigned(self):
        return self.people - self.signed

    @property
    def percent(self):
        return (self.signed * 100) // self.people if self.people else None


def compliance(user, version):
    """Per department ``user`` may read: active staff and who signed ``version`` (1 query)."""
    version_id = version.id if version is not None else 0
    query = (people.visible_departments(user)
             .select(Department.id, Department.code, Department.name,
                     fn.COUNT(User.id.distinct()), fn.COUNT(PledgeSignature.id))
             .join(User, JOIN.LEFT_OUTER, on=(
                 (User.department == Department.id) & User.id.in_(people.staff_ids())))
             .join(PledgeSignature, JOIN.LEFT_OUTER, on=(
                 (PledgeSignature.user == User.id)
                 & (PledgeSignature.version == version_id)))
             .group_by(Department.id, Department.code, Department.name)
             .order_by(Department.code))
    return [PledgeRow(d, code, name, n or 0, signed or 0)
            for d, code, name, n, signed in query.tuples()]


def total_row(rows, label):
    return PledgeRow(None, label, label, sum(r.people for r in rows),
                     sum(r.signed for r in rows))


def unsigned_visible_to(user, version):
    """Active staff of the reader's departments who have not signed ``version``."""
    departments = people.visible_departments(user).select(Department.id)
    query = people.staff_in(departments)
    if version is not None:
        query = query.where(User.id.not_in(
            PledgeSignature.select(PledgeSignature.user)
            .where(PledgeSignature.version == version.id)))
    return query.order_by(Department.code, User.name)


def people_status(user, version):
    """Every active staff member of the reader's departments with their signature of
    ``version`` (or None), in one query."""
    departments = people.visible_departments(user).select(Department.id)
    version_id = version.id if version is not None else 0
    return (people.staff_in(departments)
            .select_extend(PledgeSignature.signed_at, PledgeSignature.text_sha256)
            .switch(User)
            .join(PledgeSignature, JOIN.LEFT_OUTER, on=(
                (PledgeSignature.user == User.id) & (PledgeSignature.version == version_id)),
                  attr='signature')
            .order_by(Department.code, User.name))
