"""The management review (JIS Q 15001 9.3, 代表者による見直し) — issue 17, part 4.

``management_review``: the period reviewed, the meeting (planned, held, the top
management and who attended), the changes in law typed by the committee, the inputs
gathered from the app as a JSON snapshot when the review is prepared (and who gathered
them when), the conclusion, and the state (draft → held → closed).
``management_review_decision``: the top management's decision on each input area (one per
area); the corrective actions it raises are ``corrective_action`` rows whose source is
('review_decision', the decision's id).
"""
from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, Model, \
    TextField


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen reference to a table of 0001 (not created here).
    class User(Base):
        class Meta:
            table_name = 'user'

    class ManagementReview(Base):
        title = CharField(max_length=200)
        period_start = DateField()
        period_end = DateField()
        planned_on = DateField(index=True)
        held_on = DateField(null=True, index=True)
        status = CharField(max_length=16, default='draft', index=True)
        top_management = CharField(max_length=200, default='')
        attendees = TextField(default='')
        law_changes = TextField(default='')
        summary = TextField(default='')
        inputs = TextField(default='')
        inputs_at = DateTimeField(null=True)
        inputs_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        updated_at = DateTimeField()
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')

        class Meta:
            table_name = 'management_review'

    class ManagementReviewDecision(Base):
        review = ForeignKeyField(ManagementReview, on_delete='CASCADE')
        area = CharField(max_length=16)
        decision = TextField(default='')
        decided_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = 'management_review_decision'
            indexes = ((('review', 'area'), True),)

    db.create_tables([ManagementReview, ManagementReviewDecision])


def down(migrator, db):
    for table in ('management_review_decision', 'management_review'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)
