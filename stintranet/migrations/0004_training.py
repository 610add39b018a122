"""Training courses and assignments, quiz attempts, CSV imports, pledges, guidelines."""
import datetime

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField,
                    ForeignKeyField, IntegerField, Model, TextField)

TABLES = ('guideline_version', 'guideline', 'pledge_signature', 'pledge_version',
          'training_quiz_attempt', 'training_assignment', 'training_import',
          'training_choice', 'training_question', 'training_course_department',
          'training_course')


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Existing tables, frozen as far as the foreign keys need them.
    class Department(Base):
        code = CharField(max_length=16, unique=True)

    class User(Base):
        email = CharField(max_length=254, unique=True)

    class Course(Base):
        code = CharField(max_length=32, unique=True)
        title = CharField(max_length=200)
        description = TextField(default='')
        material = TextField(default='')
        material_url = CharField(max_length=500, default='')
        audience = CharField(max_length=16)
        recurrence_months = IntegerField(default=0)
        due_days = IntegerField(default=30)
        pass_mark = IntegerField(null=True)
        status = CharField(max_length=12, default='draft', index=True)
        version = IntegerField(default=1)
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        created_at = DateTimeField(default=datetime.datetime.utcnow)
        updated_at = DateTimeField(default=datetime.datetime.utcnow)
        published_at = DateTimeField(null=True)
        retired_at = DateTimeField(null=True)

        class Meta:
            table_name = 'training_course'

    class CourseDepartment(Base):
        course = ForeignKeyField(Course, on_delete='CASCADE')
        department = ForeignKeyField(Department, on_delete='CASCADE')

        class Meta:
            table_name = 'training_course_department'
            indexes = ((('course', 'department'), True),)

    class Question(Base):
        course = ForeignKeyField(Course, on_delete='CASCADE')
        position = IntegerField()
        text = TextField()

        class Meta:
            table_name = 'training_question'
            indexes = ((('course', 'position'), True),)

    class Choice(Base):
        question = ForeignKeyField(Question, on_delete='CASCADE')
        position = IntegerField()
        text = TextField()
        is_correct = BooleanField(default=False)

        class Meta:
            table_name = 'training_choice'
            indexes = ((('question', 'position'), True),)

    class TrainingImport(Base):
        uid = CharField(max_length=32, unique=True)
        uploaded_by = ForeignKeyField(User)
        uploaded_at = DateTimeField()
        expires_at = DateTimeField(index=True)
        filename = CharField(max_length=255, default='')
        sha256 = CharField(max_length=64)
        row_count = IntegerField(default=0)
        error_count = IntegerField(default=0)
        status = CharField(max_length=12, default='pending', index=True)
        applied_at = DateTimeField(null=True)
        content = BlobField(null=True)

        class Meta:
            table_name = 'training_import'

    class Assignment(Base):
        course = ForeignKeyField(Course, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        cycle = IntegerField(default=1)
        is_current = BooleanField(default=True)
        status = CharField(max_length=12, default='open')
        assigned_on = DateField()
        due_on = DateField()
        completed_at = DateTimeField(null=True)
        completed_on = DateField(null=True)
        completion_source = CharField(max_length=16, default='')
        score = IntegerField(null=True)
        source_import = ForeignKeyField(TrainingImport, null=True, on_delete='SET NULL')
        overdue_marked_on = DateField(null=True)
        withdrawn_on = DateField(null=True)
        created_at = DateTimeField(default=datetime.datetime.utcnow)

        class Meta:
            table_name = 'training_assignment'
            indexes = (
                (('course', 'user', 'cycle'), True),
                (('user', 'is_current'), False),
                (('course', 'is_current', 'status'), False),
                (('status', 'due_on'), False),
            )

    class QuizAttempt(Base):
        assignment = ForeignKeyField(Assignment, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        number = IntegerField()
        submitted_at = DateTimeField()
        correct = IntegerField()
        total = IntegerField()
        score = IntegerField()
        passed = BooleanField()
        answers = TextField(default='{}')

        class Meta:
            table_name = 'training_quiz_attempt'
            indexes = ((('assignment', 'number'), True),)

    class PledgeVersion(Base):
        number = IntegerField(unique=True)
        title = CharField(max_length=200)
        text = TextField()
        text_sha256 = CharField(max_length=64)
        note = TextField(default='')
        published_at = DateTimeField()
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'pledge_version'

    class PledgeSignature(Base):
        version = ForeignKeyField(PledgeVersion, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE', index=True)
        typed_name = CharField(max_length=120)
        signed_at = DateTimeField()
        text_sha256 = CharField(max_length=64)

        class Meta:
            table_name = 'pledge_signature'
            indexes = ((('version', 'user'), True),)

    class Guideline(Base):
        code = CharField(max_length=32, unique=True)
        title = CharField(max_length=200)
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'guideline'

    class GuidelineVersion(Base):
        guideline = ForeignKeyField(Guideline, on_delete='CASCADE')
        number = IntegerField()
        title = CharField(max_length=200)
        body = TextField()
        body_sha256 = CharField(max_length=64)
        change_note = TextField(default='')
        published_at = DateTimeField()
        published_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'guideline_version'
            indexes = ((('guideline', 'number'), True),)

    db.create_tables([Course, CourseDepartment, Question, Choice, TrainingImport, Assignment,
                      QuizAttempt, PledgeVersion, PledgeSignature, Guideline,
                      GuidelineVersion], safe=False)
    # At most one current assignment per person and course (a partial unique index:
    # concurrent syncs cannot both create the next cycle).
    db.execute_sql('CREATE UNIQUE INDEX training_assignment_one_current '
                   'ON training_assignment (course_id, user_id) WHERE is_current')


def down(migrator, db):
    for table in TABLES:
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)
