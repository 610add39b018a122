"""Minors and guardians (policy §6) and the risk assessment of each ledger entry
(JIS Q 15001 6.1.2, A.3.3.3) — issue 17, parts 3 and 5.

1. ``ledger_entry.minors`` ('yes' / 'no' / 'unknown'; existing rows 'unknown'): may the
   data set include minors; ``guardian_consent`` (a code, '' when none is recorded) and
   ``guardian_consent_note``: how the legal representative's (法定代理人) consent is
   obtained. An entry with minors 'yes' and no consent method is a health problem.
2. The SQLite index ``ledger_entry_health`` (0010) is made again with that problem as a
   fourth computed value, so the health counts still read no row of the table.
3. ``disclosure_request.concerns_minor`` and two checks of the identity-verification
   checklist for a request concerning a minor: the date of birth (a parent's
   representation ends at 18) and the legal representative's consent when the minor
   asks themself.
4. ``ledger_risk_assessment`` (one per entry: who assessed it when, who confirmed it in a
   review when, a version for concurrent edits), ``ledger_risk`` (per stage: the threat,
   what could happen, likelihood and impact 1-3, the measures, a residual-risk override
   with its reason) and ``ledger_risk_revision`` (every save and confirmation: who, when,
   the risks before and after).
"""
from peewee import (BooleanField, CharField, DateField, DateTimeField, ForeignKeyField,
                    IntegerField, Model, SmallIntegerField, SqliteDatabase, TextField)

FIELDS_MISSING = (
    "responsible_id IS NULL OR TRIM(title) = '' OR TRIM(category) = '' "
    "OR TRIM(purposes) = '' OR TRIM(acquisition_route) = '' "
    "OR TRIM(acquisition_method) = '' OR TRIM(notice_method) = '' OR person_band IS NULL "
    "OR TRIM(medium) = '' OR storage_location IS NULL OR TRIM(storage_country) = '' "
    "OR access_persons IS NULL OR use_period_months IS NULL "
    "OR retention_period_months IS NULL OR TRIM(disposal_methods) = '' "
    "OR TRIM(security_measures) = '' OR next_review_due IS NULL")
FOREIGN_NOTE = "storage_country != 'JP' AND foreign_note IS NULL"
OVERRIDE_REASON = "special_care_override != '' AND TRIM(special_care_reason) = ''"
MINOR_CONSENT = "minors = 'yes' AND guardian_consent = ''"


def health_index(db, problems):
    """(Re)create ``ledger_entry_health`` on SQLite with the given computed problems."""
    if not isinstance(db, SqliteDatabase):
        return
    db.execute_sql('DROP INDEX IF EXISTS ledger_entry_health')
    db.execute_sql("CREATE INDEX ledger_entry_health ON ledger_entry "
                   "(department_id, next_review_due, %s) WHERE +status != 'retired'"
                   % ', '.join('(%s)' % p for p in problems))


def up(migrator, db):
    migrator.migrate(
        migrator.add_column('ledger_entry', 'minors', CharField(max_length=8,
                                                                default='unknown')),
        migrator.add_column('ledger_entry', 'guardian_consent', CharField(max_length=24,
                                                                          default='')),
        migrator.add_column('ledger_entry', 'guardian_consent_note', TextField(default='')),
        migrator.add_column('disclosure_request', 'concerns_minor',
                            BooleanField(default=False)),
        migrator.add_column('disclosure_request', 'minor_age_checked',
                            BooleanField(default=False)),
        migrator.add_column('disclosure_request', 'representative_consent_checked',
                            BooleanField(default=False)),
    )
    health_index(db, (FIELDS_MISSING, FOREIGN_NOTE, OVERRIDE_REASON, MINOR_CONSENT))

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    # Frozen references to tables of earlier migrations (not created here).
    class User(Base):
        class Meta:
            table_name = 'user'

    class LedgerEntry(Base):
        class Meta:
            table_name = 'ledger_entry'

    class LedgerRiskAssessment(Base):
        entry = ForeignKeyField(LedgerEntry, unique=True, on_delete='CASCADE')
        assessed_on = DateField(index=True)
        assessed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        confirmed_on = DateField(null=True, index=True)
        confirmed_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        note = TextField(default='')
        version = IntegerField(default=1)
        created_at = DateTimeField()
        updated_at = DateTimeField()

        class Meta:
            table_name = 'ledger_risk_assessment'

    class LedgerRisk(Base):
        assessment = ForeignKeyField(LedgerRiskAssessment, on_delete='CASCADE')
        position = SmallIntegerField()
        stage = CharField(max_length=16)
        threat = CharField(max_length=24)
        scenario = TextField(default='')
        likelihood = SmallIntegerField(null=True)
        impact = SmallIntegerField(null=True)
        measures = TextField(default='')
        residual_override = CharField(max_length=8, default='')
        override_reason = TextField(default='')

        class Meta:
            table_name = 'ledger_risk'
            indexes = ((('assessment', 'position'), True),)

    class LedgerRiskRevision(Base):
        assessment = ForeignKeyField(LedgerRiskAssessment, on_delete='CASCADE')
        version = IntegerField()
        at = DateTimeField()
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        action = CharField(max_length=16)
        changes = TextField(default='')

        class Meta:
            table_name = 'ledger_risk_revision'
            indexes = ((('assessment', 'version'), True),)

    db.create_tables([LedgerRiskAssessment, LedgerRisk, LedgerRiskRevision])


def down(migrator, db):
    for table in ('ledger_risk_revision', 'ledger_risk', 'ledger_risk_assessment'):
        db.execute_sql('DROP TABLE IF EXISTS "%s"' % table)
    health_index(db, (FIELDS_MISSING, FOREIGN_NOTE, OVERRIDE_REASON))
    migrator.migrate(
        migrator.drop_column('disclosure_request', 'representative_consent_checked'),
        migrator.drop_column('disclosure_request', 'minor_age_checked'),
        migrator.drop_column('disclosure_request', 'concerns_minor'),
        migrator.drop_column('ledger_entry', 'guardian_consent_note'),
        migrator.drop_column('ledger_entry', 'guardian_consent'),
        migrator.drop_column('ledger_entry', 'minors'),
    )
