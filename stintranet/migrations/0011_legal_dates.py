"""The law's own day counts and the leaked-key question (issue 14).

1. ``incident.key_leaked`` ('no' / 'yes' / 'unknown'): may the key or password of
   encrypted data also have leaked? Every existing row gets 'unknown'. Advanced
   encryption now exempts a case only once the committee answers 'no', so every
   encrypted case that meets one of the four grounds (special-care data, property
   damage, a wrongful purpose, more than 1,000 persons) becomes reportable, its clocks
   running from its time of awareness; each such case gets a timeline entry saying why.
   The daily job then tells the committee that it is reportable.
2. ``disclosure_request.destroy_after`` (the documents' "kept until") of completed
   requests not destroyed yet is recomputed with the Civil Code's count
   (``legaldates.disclosure_documents_kept_until``: the day of completion not counted,
   the period ending the day before the corresponding day or on a short month's last
   day), with the number of months it was first computed with. It only ever moves
   later (completed 30 June: 31 December instead of 30 December). Destroyed requests
   keep the date their destruction record shows.
3. ``provision_record.keep_until``: where it was the minimum of the old rule, or is
   short of the new one, it becomes the new minimum
   (``legaldates.provision_record_kept_until``): one day earlier in the 1-year case
   (provided 15 July: kept through 14 July of the next year). A later date chosen by a
   person stays.

The dates come from ``stintranet.legaldates`` (pure functions, no app model), so what
is stored equals what the app computes. ``down`` drops the column only: the dates stay.
"""
import datetime
import uuid

from peewee import (BlobField, BooleanField, CharField, DateField, DateTimeField, IntegerField,
                    Model)

from stintranet import legaldates

PERSONS_THRESHOLD = 1000

REASSESSED = ('Re-assessed on upgrade (issue 14): the data was encrypted, but whether the key '
              'or password may also have leaked was never asked; until the committee answers '
              '"no", the encryption does not exempt the case, which is judged as if the data '
              'were unencrypted. Now REPORTABLE to the PPC.')


def _old_add_years(day, years):
    """The provision records' rule before issue 14 (to tell a default date from a chosen one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _months_between(start, end):
    """Whole months from ``start`` to ``end`` as the old rule added them."""
    return (end.year - start.year) * 12 + end.month - start.month


def up(migrator, db):
    migrator.migrate(migrator.add_column('incident', 'key_leaked',
                                         CharField(max_length=8, default='unknown')))

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Incident(Base):
        status = CharField(max_length=16)
        special_care = BooleanField()
        property_damage_risk = BooleanField()
        wrongful_purpose = BooleanField()
        persons_affected = IntegerField(null=True)
        advanced_encryption = BooleanField()
        reportable = BooleanField()
        updated_at = DateTimeField()
        version = IntegerField()

        class Meta:
            table_name = 'incident'

    class IncidentEvent(Base):
        uid = CharField(max_length=32, unique=True)
        incident = IntegerField(column_name='incident_id')
        at = DateTimeField()
        kind = CharField(max_length=20)
        author = IntegerField(column_name='author_id', null=True)
        by_reporter = BooleanField(default=False)
        from_status = CharField(max_length=16, null=True)
        to_status = CharField(max_length=16, null=True)
        summary = CharField(max_length=500, default='')
        body = BlobField(null=True)
        internal = BooleanField(default=True)

        class Meta:
            table_name = 'incident_event'

    class DisclosureRequest(Base):
        status = CharField(max_length=16)
        completed_on = DateField(null=True)
        destroy_after = DateField(null=True)
        destroyed_at = DateTimeField(null=True)

        class Meta:
            table_name = 'disclosure_request'

    class ProvisionRecord(Base):
        provided_on = DateField()
        provided_until = DateField(null=True)
        record_case = CharField(max_length=16)
        recorded_on = DateField()
        keep_until = DateField()

        class Meta:
            table_name = 'provision_record'

    now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    grounds = ((Incident.special_care == True)  # noqa: E712
               | (Incident.property_damage_risk == True)  # noqa: E712
               | (Incident.wrongful_purpose == True)  # noqa: E712
               | (Incident.persons_affected > PERSONS_THRESHOLD))
    changed = [row.id for row in Incident.select(Incident.id).where(
        (Incident.advanced_encryption == True) & (Incident.reportable == False)  # noqa: E712
        & grounds).order_by(Incident.id)]
    for incident_id in changed:
        Incident.update(reportable=True, updated_at=now, version=Incident.version + 1).where(
            Incident.id == incident_id).execute()
        IncidentEvent.create(uid=uuid.uuid4().hex, incident=incident_id, at=now, kind='triage',
                             summary=REASSESSED, internal=True)

    for req in DisclosureRequest.select().where(
            DisclosureRequest.completed_on.is_null(False)
            & DisclosureRequest.destroy_after.is_null(False)
            & DisclosureRequest.destroyed_at.is_null()):
        months = _months_between(req.completed_on, req.destroy_after)
        kept = legaldates.disclosure_documents_kept_until(req.completed_on,
                                                          months if months >= 1 else 6)
        if kept.deadline != req.destroy_after:
            DisclosureRequest.update(destroy_after=kept.deadline).where(
                DisclosureRequest.id == req.id).execute()

    years = {'each': 3, 'bulk': 3, 'contract': 1}
    for record in ProvisionRecord.select():
        if record.record_case not in years:
            continue
        last = record.provided_until or record.provided_on
        anchor = max(last, record.recorded_on) if record.record_case == 'each' else last
        old_minimum = _old_add_years(anchor, years[record.record_case])
        new_minimum = legaldates.provision_record_kept_until(
            record.record_case, record.provided_on, record.provided_until,
            record.recorded_on).deadline
        if record.keep_until == old_minimum or record.keep_until < new_minimum:
            if record.keep_until != new_minimum:
                ProvisionRecord.update(keep_until=new_minimum).where(
                    ProvisionRecord.id == record.id).execute()


def down(migrator, db):
    migrator.migrate(migrator.drop_column('incident', 'key_leaked'))

