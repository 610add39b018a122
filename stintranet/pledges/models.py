"""Pledge versions and signatures; per-department signature figures."""
from peewee import JOIN, SQL, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField, fn

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
        return cls.newest_first().first()

    @classmethod
    def newest_first(cls):
        """Every version, the current one first (query; its first row is ``current()``)."""
        return cls.select().order_by(cls.number.desc())

    @classmethod
    def current_id(cls):
        """Subquery: the current version's id (NULL while none is published)."""
        return cls.select(cls.id).order_by(cls.number.desc()).limit(1)

    @classmethod
    def awaiting_signature(cls, user):
        """The current version while ``user`` has not signed it (query: no row once they
        have, or while none is published)."""
        signed = PledgeSignature.select(SQL('1')).where(
            (PledgeSignature.version == cls.id) & (PledgeSignature.user == user.id))
        return cls.select(cls.id, cls.number, cls.title, cls.published_at).where(
            (cls.id == cls.current_id()) & ~fn.EXISTS(signed))

    @classmethod
    def by_number(cls, number):
        return cls.get_or_none(cls.number == number)

    @classmethod
    def with_signature_counts(cls):
        """Every version, newest first, with its number of signatures and the name of who
        published it (``publisher``): one query. The columns go onto each version
        (``objects()``): joined without it, the publisher's row would take the place of
        ``published_by``, and ``publisher`` would be on that row, not on the version."""
        return (cls.select(cls, User.name.alias('publisher'),
                           fn.COUNT(PledgeSignature.id).alias('signatures'))
                .join(User, JOIN.LEFT_OUTER, on=(cls.published_by == User.id))
                .switch(cls)
                .join(PledgeSignature, JOIN.LEFT_OUTER,
                      on=(PledgeSignature.version == cls.id))
                .group_by(cls.id, User.name).order_by(cls.number.desc()).objects())


class PledgeSignature(BaseModel):
    version = ForeignKeyField(PledgeVersion, on_delete='CASCADE', backref='signatures')
    user = ForeignKeyField(User, on_delete='CASCADE', backref='+', index=True)
    typed_name = CharField(max_length=120)
    signed_at = DateTimeField(default=utcnow)
    text_sha256 = CharField(max_length=64)  # of the exact text signed

    class Meta:
        table_name = 'pledge_signature'
        indexes = ((('version', 'user'), True),)

    @property
    def reference(self):
        """The number a signed pledge is filed under: PS-00012."""
        return 'PS-%05d' % self.id

    @classmethod
    def own(cls, user, signature_id):
        """``user``'s signature with its version, or None (another person's is never
        found)."""
        return (cls.select(cls, PledgeVersion)
                .join(PledgeVersion, on=(cls.version == PledgeVersion.id))
                .where((cls.id == signature_id) & (cls.user == user.id)).first())

    @classmethod
    def of_user(cls, user):
        return (cls.select(cls, PledgeVersion)
                .join(PledgeVersion, on=(cls.version == PledgeVersion.id))
                .where(cls.user == user.id).order_by(PledgeVersion.number.desc()))

    @classmethod
    def find(cls, user, version):
        if version is None:
            return None
        return cls.of_version(user, version.id).first()

    @classmethod
    def of_version(cls, user, version_id):
        """Query: ``user``'s signature of a version (an id, or a subquery such as
        ``PledgeVersion.current_id()``); at most one row."""
        return cls.select().where((cls.user == user.id) & (cls.version == version_id))


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
    return compliance_rows(compliance_query(user, version_id).tuples())


def compliance_query(user, version_id):
    """The query behind ``compliance`` (not run); ``version_id`` is an id or a subquery
    (``PledgeVersion.current_id()``: no version published counts no signature)."""
    return (people.visible_departments(user)
            .select(Department.id, Department.code, Department.name,
                    fn.COUNT(User.id.distinct()), fn.COUNT(PledgeSignature.id))
            .join(User, JOIN.LEFT_OUTER, on=(
                (User.department == Department.id) & people.staff_condition()))
            .join(PledgeSignature, JOIN.LEFT_OUTER, on=(
                (PledgeSignature.user == User.id)
                & (PledgeSignature.version == version_id)))
            .group_by(Department.id, Department.code, Department.name)
            .order_by(Department.code))


def compliance_rows(tuples):
    """[PledgeRow] from the tuples of ``compliance_query``."""
    return [PledgeRow(d, code, name, n or 0, signed or 0)
            for d, code, name, n, signed in tuples]


def total_row(rows, label):
    return PledgeRow(None, label, label, sum(r.people for r in rows),
                     sum(r.signed for r in rows))


def unsigned_visible_to(user, version):
    """Active staff of the reader's departments who have not signed ``version`` (a
    PledgeVersion, None, or a subquery such as ``PledgeVersion.current_id()``)."""
    departments = people.visible_departments(user).select(Department.id)
    query = people.staff_in(departments)
    if version is not None:
        version_id = version.id if isinstance(version, PledgeVersion) else version
        query = query.where(User.id.not_in(
            PledgeSignature.select(PledgeSignature.user)
            .where(PledgeSignature.version == version_id)))
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
