"""Courses, their quizzes, assignments, attempts and CSV imports of completions."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from peewee import (
    JOIN,
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
    prefetch,
)

from ..auth import roles as R
from ..auth.models import Department, User
from ..crypto import EncryptedBlobField, EncryptedModel
from ..db import BaseModel, utcnow
from ..models import Bookkeeping
from . import people

DRAFT, PUBLISHED, RETIRED = 'draft', 'published', 'retired'
COURSE_STATUSES = {DRAFT: _l('Draft'), PUBLISHED: _l('Published'), RETIRED: _l('Retired')}

ALL, MANAGERS, COMMITTEE, DEPARTMENTS = 'all', 'managers', 'committee', 'departments'
AUDIENCES = {
    ALL: _l('All employees'),
    MANAGERS: _l('Personal-information managers'),
    COMMITTEE: _l('Protection Committee members'),
    DEPARTMENTS: _l('Chosen departments'),
}

OPEN, COMPLETED, WITHDRAWN = 'open', 'completed', 'withdrawn'
QUIZ, ACKNOWLEDGEMENT, IMPORT = 'quiz', 'acknowledgement', 'import'
SOURCES = {QUIZ: _l('Quiz passed'), ACKNOWLEDGEMENT: _l('Acknowledged'),
           IMPORT: _l('Imported')}


class Course(Bookkeeping):
    code = CharField(max_length=32, unique=True)
    title = CharField(max_length=200)
    description = TextField(default='')
    material = TextField(default='')
    material_url = CharField(max_length=500, default='')
    audience = CharField(max_length=16)
    recurrence_months = IntegerField(default=0)
    due_days = IntegerField(default=30)
    pass_mark = IntegerField(null=True)  # percent; None when there is no quiz
    status = CharField(max_length=12, default=DRAFT, index=True)
    created_by = ForeignKeyField(User, null=True, on_delete='SET NULL', backref='+')
    published_at = DateTimeField(null=True)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = 'training_course'

    def __str__(self):
        return '%s %s' % (self.code, self.title)

    @property
    def has_quiz(self):
        return self.pass_mark is not None

    @property
    def status_label(self):
        return COURSE_STATUSES.get(self.status, self.status)

    @property
    def audience_label(self):
        return AUDIENCES.get(self.audience, self.audience)

    @property
    def is_draft(self):
        return self.status == DRAFT

    def department_ids(self):
        if not hasattr(self, '_department_ids'):
            self._department_ids = frozenset(
                row.department_id for row in CourseDepartment.select().where(
                    CourseDepartment.course == self))
        return self._department_ids

    def departments(self):
        return list(Department.select().where(
            Department.id.in_(list(self.department_ids()))).order_by(Department.code))

    def member_ids(self):
        """Subquery: the active staff in this course's audience."""
        staff = people.staff_ids()
        if self.audience == ALL:
            return staff
        if self.audience == MANAGERS:
            return staff.where(User.id.in_(people.role_holders(R.MANAGER)))
        if self.audience == COMMITTEE:
            return staff.where(User.id.in_(people.role_holders(R.COMMITTEE)))
        return staff.where(User.department.in_(
            CourseDepartment.select(CourseDepartment.department)
            .where(CourseDepartment.course == self.id)))

    def includes(self, user):
        """Whether ``user`` (roles loaded) is in the audience, without a query."""
        if not people.is_staff(user):
            return False
        if self.audience == ALL:
            return True
        if self.audience == MANAGERS:
            return user.has_role(R.MANAGER)
        if self.audience == COMMITTEE:
            return user.has_role(R.COMMITTEE)
        return user.department_id in self.department_ids()

    def questions_with_choices(self):
        """The quiz, questions and choices in two queries."""
        questions = (Question.select().where(Question.course == self)
                     .order_by(Question.position))
        choices = Choice.select().order_by(Choice.position)
        return list(prefetch(questions, choices))

    @classmethod
    def by_code(cls, code):
        return cls.get_or_none(cls.code == (code or '').strip().upper())

    @classmethod
    def published(cls):
        return cls.select().where(cls.status == PUBLISHED).order_by(cls.code)

    @classmethod
    def for_committee(cls):
        """Every course with its counts of current assignments and questions (one query)."""
        counted = ((Assignment.course == cls.id) & (Assignment.is_current == True)  # noqa: E712
                   & (Assignment.status != WITHDRAWN))
        assigned = Assignment.select(fn.COUNT(Assignment.id)).where(counted)
        completed = Assignment.select(fn.COUNT(Assignment.id)).where(
            counted & (Assignment.status == COMPLETED))
        questions = Question.select(fn.COUNT(Question.id)).where(Question.course == cls.id)
        return (cls.select(cls, assigned.alias('assigned'), completed.alias('completed'),
                           questions.alias('questions'))
                .order_by(Case(cls.status, [(PUBLISHED, 0), (DRAFT, 1)], 2), cls.code))


class CourseDepartment(BaseModel):
    course = ForeignKeyField(Course, on_delete='CASCADE', backref='department_rows')
    department = ForeignKeyField(Department, on_delete='CASCADE', backref='+')

    class Meta:
        table_name = 'training_course_department'
        indexes = ((('course', 'department'), True),)


class Question(BaseModel):
    course = ForeignKeyField(Course, on_delete='CASCADE', backref='questions')
    position = IntegerField()
    text = TextField()

    class Meta:
        table_name = 'training_question'
        indexes = ((('course', 'position'), True),)

    @property
    def field_name(self):
        return 'q%d' % self.id


class Choice(BaseModel):
    question = ForeignKeyField(Question, on_delete='CASCADE', backref='choices')
    position = IntegerField()
    text = TextField()
    # Never rendered to a person taking the quiz: scoring happens on the server.
    is_correct = BooleanField(default=False)

    class Meta:
        table_name = 'training_choice'
        indexes = ((('question', 'position'), True),)


class TrainingImport(EncryptedModel):
    """An uploaded CSV of completions, kept sealed between preview and import."""
    uploaded_by = ForeignKeyField(User, backref='+')
    uploaded_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField(index=True)
    filename = CharField(max_length=255, default='')
    sha256 = CharField(max_length=64)
    row_count = IntegerField(default=0)
    error_count = IntegerField(default=0)
    status = CharField(max_length=12, default='pending', index=True)
    applied_at = DateTimeField(null=True)
    content = EncryptedBlobField(null=True)

    class Meta:
        table_name = 'training_import'

    PENDING, APPLIED, DISCARDED, EXPIRED = 'pending', 'applied', 'discarded', 'expired'
    # In English the state reads as its code, as the list always showed it.
    STATUS_LABELS = {PENDING: lazy_pgettext('import status', 'pending'),
                     APPLIED: lazy_pgettext('import status', 'applied'),
                     DISCARDED: lazy_pgettext('import status', 'discarded'),
                     EXPIRED: lazy_pgettext('import status', 'expired')}

    @property
    def status_label(self):
        return self.STATUS_LABELS.get(self.status, self.status)

    def is_usable(self, now=None):
        return (self.status == self.PENDING and self.content is not None
                and self.expires_at > (now or utcnow()))

    @classmethod
    def recent(cls, limit=10):
        return (cls.select(cls, User).join(User, on=(cls.uploaded_by == User.id))
                .order_by(cls.uploaded_at.desc()).limit(limit))


class Assignment(BaseModel):
    """One person's cycle of one course; ``is_current`` marks the latest cycle."""
    course = ForeignKeyField(Course, on_delete='CASCADE', backref='assignments')
    user = ForeignKeyField(User, on_delete='CASCADE', backref='+')
    cycle = IntegerField(default=1)
    is_current = BooleanField(default=True)
    status = CharField(max_length=12, default=OPEN)
    assigned_on = DateField()
    due_on = DateField()
    completed_at = DateTimeField(null=True)
    completed_on = DateField(null=True)
    completion_source = CharField(max_length=16, default='')
    score = IntegerField(null=True)
    source_import = ForeignKeyField(TrainingImport, null=True, on_delete='SET NULL',
                                    backref='+')
    overdue_marked_on = DateField(null=True)
    withdrawn_on = DateField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = 'training_assignment'
        indexes = (
            (('course', 'user', 'cycle'), True),
            (('user', 'is_current'), False),
            (('course', 'is_current', 'status'), False),
            (('status', 'due_on'), False),
        )

    @property
    def is_open(self):
        return self.status == OPEN

    @property
    def is_completed(self):
        return self.status == COMPLETED

    def is_overdue(self, today):
        return self.status == OPEN and self.due_on < today

    def days_overdue(self, today):
        return (today - self.due_on).days if self.is_overdue(today) else 0

    @property
    def source_label(self):
        return SOURCES.get(self.completion_source, '')

    @property
    def certificate_number(self):
        return 'TRN-%06d-%02d' % (self.id, self.cycle)

    @classmethod
    def of_user(cls, user):
        """The person's own assignments with their course, current first (one query)."""
        return (cls.select(cls, Course).join(Course, on=(cls.course == Course.id))
                .where((cls.user == user.id) & (cls.status != WITHDRAWN)
                       & (Course.status != DRAFT))
                .order_by(cls.is_current.desc(),
                          Case(cls.status, [(OPEN, 0)], 1), cls.due_on, Course.code))

    @classmethod
    def own(cls, user, assignment_id):
        """The person's own assignment, or None (another person's is never found)."""
        return (cls.select(cls, Course).join(Course, on=(cls.course == Course.id))
                .where((cls.id == assignment_id) & (cls.user == user.id)
                       & (cls.status != WITHDRAWN) & (Course.status != DRAFT)).first())

    @classmethod
    def counted(cls):
        """Current, not withdrawn, of published courses, for active staff (query)."""
        return (cls.select(cls, Course, User, Department)
                .join(Course, on=(cls.course == Course.id))
                .switch(cls).join(User, on=(cls.user == User.id))
                .join(Department, on=(User.department == Department.id))
                .where((cls.is_current == True) & (cls.status != WITHDRAWN)  # noqa: E712
                       & (Course.status == PUBLISHED) & User.id.in_(people.staff_ids())))

    @classmethod
    def overdue_visible_to(cls, user, today, course_id=None):
        """Overdue assignments of the departments ``user`` may read, oldest due first."""
        departments = people.visible_departments(user).select(Department.id)
        query = cls.counted().where((cls.status == OPEN) & (cls.due_on < today)
                                    & User.department.in_(departments))
        if course_id:
            query = query.where(cls.course == course_id)
        return query.order_by(cls.due_on, Department.code, User.name, Course.code)

    @classmethod
    def open_for(cls, user):
        """The person's open current assignments with course (one query)."""
        return (cls.select(cls, Course).join(Course, on=(cls.course == Course.id))
                .where((cls.user == user.id) & (cls.is_current == True)  # noqa: E712
                       & (cls.status == OPEN) & (Course.status == PUBLISHED))
                .order_by(cls.due_on))


class QuizAttempt(BaseModel):
    assignment = ForeignKeyField(Assignment, on_delete='CASCADE', backref='attempts')
    user = ForeignKeyField(User, on_delete='CASCADE', backref='+')
    number = IntegerField()
    submitted_at = DateTimeField(default=utcnow)
    correct = IntegerField()
    total = IntegerField()
    score = IntegerField()
    passed = BooleanField()
    answers = TextField(default='{}')  # {question id: choice id}

    class Meta:
        table_name = 'training_quiz_attempt'
        indexes = ((('assignment', 'number'), True),)

    @classmethod
    def of_assignment(cls, assignment):
        return (cls.select().where(cls.assignment == assignment)
                .order_by(cls.number))


class ComplianceRow:
    """A department's training figures; percentage rounds down (99.6 % is not 100 %)."""

    def __init__(self, department_id, code, name, assigned, completed, overdue):
        self.department_id, self.code, self.name = department_id, code, name
        self.assigned, self.completed, self.overdue = assigned, completed, overdue

    @property
    def open(self):
        return self.assigned - self.completed

    @property
    def percent(self):
        return (self.completed * 100) // self.assigned if self.assigned else None

    @property
    def label(self):
        return self.code


def compliance(user, today, course_id=None):
    """Per visible department: assigned, completed, overdue (one aggregate query).

    Counts current assignments of published courses held by active staff of the
    department; the total row is summed from the same figures.
    """
    return compliance_rows(compliance_query(user, today, course_id).tuples())


def compliance_query(user, today, course_id=None):
    """The query behind ``compliance`` (not run): one tuple per visible department."""
    join_on = ((Assignment.user == User.id) & (Assignment.is_current == True)  # noqa: E712
               & (Assignment.status != WITHDRAWN)
               & Assignment.course.in_(Course.select(Course.id).where(
                   Course.status == PUBLISHED)))
    if course_id:
        join_on &= (Assignment.course == course_id)
    completed = fn.SUM(Case(None, [(Assignment.status == COMPLETED, 1)], 0))
    overdue = fn.SUM(Case(None, [((Assignment.status == OPEN) & (Assignment.due_on < today),
                                  1)], 0))
    return (people.visible_departments(user)
            .select(Department.id, Department.code, Department.name,
                    fn.COUNT(Assignment.id), completed, overdue)
            .join(User, JOIN.LEFT_OUTER, on=(
                (User.department == Department.id) & people.staff_condition()))
            .join(Assignment, JOIN.LEFT_OUTER, on=join_on)
            .group_by(Department.id, Department.code, Department.name)
            .order_by(Department.code))


def compliance_rows(tuples):
    """[ComplianceRow] from the tuples of ``compliance_query``."""
    return [ComplianceRow(d, code, name, assigned or 0, int(done or 0), int(late or 0))
            for d, code, name, assigned, done, late in tuples]


def chart_data(rows, chart_id, title, desc):
    """What ``training/_chart.svg`` draws: one bar per department, with a spoken detail."""
    return {'id': chart_id, 'title': title, 'desc': desc, 'rows': [
        (r.code, r.percent, _l('%(done)d of %(all)d completed, %(late)d overdue',
                               done=r.completed, all=r.assigned, late=r.overdue))
        for r in rows]}


def total_row(rows, label):
    total = ComplianceRow(None, label, label, sum(r.assigned for r in rows),
                          sum(r.completed for r in rows), sum(r.overdue for r in rows))
    return total
