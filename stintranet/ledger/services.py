"""Ledger writes: each one changes the entry, its items, a revision, the review
record and the audit log in one transaction.

Optimistic locking: the caller passes the version the user started from. The
row is locked (SQLite's transactions are IMMEDIATE; PostgreSQL takes
``FOR UPDATE``), its version compared, and a stale save raises ``StaleEntry``
so that nothing is lost silently.
"""
import json

from .. import auditlog
from ..auth.models import Department
from ..db import database, is_sqlite, utcnow
from ..timezone import today_local
from .models import (
    ENCRYPTED_FIELDS,
    FIELDS,
    LedgerEntry,
    LedgerEntryItem,
    LedgerReview,
    LedgerRevision,
    add_months,
    review_months,
    split_codes,
)
from .risk import services as risk_services
from .risk.models import RiskAssessment

# Fields a caller's ``data`` may set directly (items and links are handled apart).
SCALAR_FIELDS = (
    'title', 'category', 'special_care_override', 'special_care_reason', 'purposes',
    'acquisition_route', 'acquisition_method', 'notice_method', 'notice_details',
    'person_band', 'person_estimate', 'medium', 'storage_location', 'storage_country',
    'foreign_note', 'access_persons', 'use_period_months', 'use_period_note',
    'retention_period_months', 'retention_period_note', 'disposal_methods', 'disposal_note',
    'security_measures', 'security_details', 'outsourced', 'outsourcing_note',
    'third_party_provision', 'third_party_note', 'status', 'minors', 'guardian_consent',
    'guardian_consent_note',
)


REVIEW_FIELDS = frozenset(('last_reviewed_on', 'next_review_due'))


class StaleEntry(Exception):
    """The entry changed since the user loaded it."""

    def __init__(self, entry, expected_version):
        super().__init__('entry %s is at version %s, not %s' % (
            entry.id, entry.version, expected_version))
        self.entry = entry
        self.expected_version = expected_version


class RetiredEntry(Exception):
    """A retired entry is read-only until reinstated."""


def _lock(entry_id, expected_version):
    """Lock the row, re-read it and check the version the user saw."""
    query = LedgerEntry.select().where(LedgerEntry.id == entry_id)
    if not is_sqlite():
        query = query.for_update()
    fresh = query.get()
    if expected_version is not None and fresh.version != int(expected_version):
        raise StaleEntry(fresh, expected_version)
    return fresh


def _apply(entry, data):
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ENCRYPTED_FIELDS:
            # Empty stays NULL: the health check asks "is it there?" without decrypting.
            value = value.strip() if isinstance(value, str) else value
            value = value or None
        setattr(entry, name, value)
    if 'department_id' in data:
        entry.department = Department.get_by_id(data['department_id'])
    if 'responsible_id' in data:
        entry.responsible = data['responsible_id']
    for name in ('last_reviewed_on', 'next_review_due'):
        if data.get(name) is not None:
            setattr(entry, name, data[name])


def _set_items(entry, codes, free):
    """Replace the entry's items when they differ; return the rows now held."""
    current = {(r.code, r.label) for r in entry.item_rows}
    wanted = {(code, '') for code in codes} | {('', label) for label in free}
    if current != wanted:
        LedgerEntryItem.delete().where(LedgerEntryItem.entry == entry.id).execute()
        if wanted:
            LedgerEntryItem.insert_many(
                [{'entry': entry.id, 'code': code, 'label': label}
                 for code, label in sorted(wanted)]).execute()
    entry._item_rows = [LedgerEntryItem(entry=entry.id, code=code, label=label)
                        for code, label in sorted(wanted)]


def _special_care(entry):
    if entry.special_care_override == 'yes':
        return True
    if entry.special_care_override == 'no':
        return False
    return entry.derived_special_care


def _diff(before, after):
    return {name: [before.get(name), after.get(name)] for name, _label in FIELDS
            if before.get(name) != after.get(name)}


def _write_revision(entry, action, changes, actor):
    LedgerRevision(entry=entry.id, version=entry.version, at=utcnow(),
                   actor=actor.id if actor is not None else None, action=action,
                   fields=','.join(changes), changes=json.dumps(changes, ensure_ascii=False)
                   ).save(force_insert=True)


def _audit(action, entry, changes, actor, **extra):
    details = {'reference': entry.reference, 'version': entry.version,
               'fields': list(changes)}
    details.update(extra)
    auditlog.record(action, entry, actor=actor, details=details)


def _review_dates(data, today):
    """The review dates a write sets: explicit ones (import) or today + the interval."""
    last = data.get('last_reviewed_on') or today
    due = data.get('next_review_due') or add_months(last, review_months())
    return last, due


def create_entry(data, *, actor, review_kind='created'):
    """Create an entry from validated ``data``; revision, review and audit row included."""
    today = today_local()
    with database.atomic():
        entry = LedgerEntry(created_by=actor.id if actor else None,
                            updated_by=actor.id if actor else None)
        _apply(entry, data)
        entry.last_reviewed_on, entry.next_review_due = _review_dates(data, today)
        entry.version = 1
        entry._item_rows = [LedgerEntryItem(code=code) for code in data.get('items', [])]
        entry.special_care = _special_care(entry)
        entry.save(force_insert=True)
        entry._item_rows = []
        _set_items(entry, data.get('items', []), data.get('free_items', []))
        changes = {name: [None, value] for name, value in entry.snapshot().items()
                   if value not in (None, '', [], False)}
        _write_revision(entry, 'create', changes, actor)
        LedgerReview.create(entry=entry.id, reviewed_on=entry.last_reviewed_on,
                            reviewer=actor.id if actor else None, kind=review_kind,
                            next_review_due=entry.next_review_due)
        _audit('create', entry, changes, actor)
    return entry


def update_entry(entry, data, *, expected_version, actor, review_kind='edited', note=''):
    """Apply validated ``data``; an edit is a review and moves the review dates forward,
    unless ``data`` sets them itself (an import).

    Raises ``StaleEntry`` when someone saved in between, ``RetiredEntry`` when
    the entry is retired. Returns (entry, changes); no change writes nothing.
    """
    today = today_local()
    with database.atomic():
        fresh = _lock(entry.id, expected_version)
        if fresh.is_retired:
            raise RetiredEntry(fresh)
        before = fresh.snapshot()
        _apply(fresh, data)
        _set_items(fresh, data.get('items', before['items']),
                   data.get('free_items', before['free_items']))
        fresh.special_care = _special_care(fresh)
        content = _diff(before, fresh.snapshot())
        explicit_dates = bool(REVIEW_FIELDS & set(content))
        if not content and review_kind == 'imported':
            return fresh, {}
        if not explicit_dates:
            fresh.last_reviewed_on = today
            fresh.next_review_due = add_months(today, review_months())
        changes = _diff(before, fresh.snapshot())
        if not changes:
            return fresh, {}
        fresh.version += 1
        fresh.updated_at = utcnow()
        fresh.updated_by = actor.id if actor else None
        fresh.save()
        _write_revision(fresh, 'update', changes, actor)
        if not explicit_dates:
            LedgerReview.create(entry=fresh.id, reviewed_on=fresh.last_reviewed_on,
                                reviewer=actor.id if actor else None, kind=review_kind,
                                note=note, next_review_due=fresh.next_review_due)
        _audit('update', fresh, changes, actor)
    return fresh, changes


class RiskUnconfirmed(Exception):
    """The entry has a risk assessment that the review neither confirms nor updated."""


def review_entry(entry, *, expected_version, actor, note='', risk_confirmed=False):
    """"Reviewed, still accurate": move the review dates forward and record the review.

    The review also confirms the entry's risk assessment (``risk_confirmed``), unless it
    was updated today; an assessment left unconfirmed raises ``RiskUnconfirmed``. An
    entry without an assessment is reviewed all the same (health lists it).
    """
    today = today_local()
    with database.atomic():
        fresh = _lock(entry.id, expected_version)
        if fresh.is_retired:
            raise RetiredEntry(fresh)
        assessment = RiskAssessment.get_or_none(RiskAssessment.entry == fresh.id)
        if assessment is not None and not risk_confirmed and assessment.assessed_on != today:
            raise RiskUnconfirmed(fresh)
        before = fresh.snapshot()
        fresh.last_reviewed_on = today
        fresh.next_review_due = add_months(today, review_months())
        changes = _diff(before, fresh.snapshot())
        if changes:
            fresh.version += 1
            fresh.updated_at = utcnow()
            fresh.updated_by = actor.id if actor else None
            fresh.save()
            _write_revision(fresh, 'review', changes, actor)
        review = LedgerReview.create(entry=fresh.id, reviewed_on=today, reviewer=actor.id,
                                     kind='confirmed', note=(note or '').strip(),
                                     next_review_due=fresh.next_review_due)
        _audit('review', fresh, changes, actor, next_review_due=fresh.next_review_due.isoformat(),
               risk_confirmed=bool(assessment is not None and risk_confirmed))
        if assessment is not None and risk_confirmed:
            risk_services.confirm(fresh, actor=actor, review_id=review.id)
    return fresh


def retire_entry(entry, *, expected_version, actor, reason):
    """Retire an entry (it stays, read-only, for the record)."""
    with database.atomic():
        fresh = _lock(entry.id, expected_version)
        if fresh.is_retired:
            raise RetiredEntry(fresh)
        before = fresh.snapshot()
        fresh.status = 'retired'
        fresh.retired_on = today_local()
        fresh.retired_reason = reason.strip()
        changes = _diff(before, fresh.snapshot())
        fresh.version += 1
        fresh.updated_at = utcnow()
        fresh.updated_by = actor.id if actor else None
        fresh.save()
        _write_revision(fresh, 'retire', changes, actor)
        _audit('retire', fresh, changes, actor)
    return fresh


def reinstate_entry(entry, *, expected_version, actor):
    """Bring a retired entry back as a draft."""
    with database.atomic():
        fresh = _lock(entry.id, expected_version)
        if not fresh.is_retired:
            return fresh
        before = fresh.snapshot()
        fresh.status = 'draft'
        fresh.retired_on = None
        changes = _diff(before, fresh.snapshot())
        fresh.version += 1
        fresh.updated_at = utcnow()
        fresh.updated_by = actor.id if actor else None
        fresh.save()
        _write_revision(fresh, 'reinstate', changes, actor)
        _audit('reinstate', fresh, changes, actor)
    return fresh


def approve_review(review, *, actor):
    """The committee approves a review (not one of its own)."""
    with database.atomic():
        fresh = LedgerReview.get_by_id(review.id)
        if fresh.approved_at is not None:
            return fresh
        fresh.approved_by = actor.id
        fresh.approved_at = utcnow()
        fresh.save()
        auditlog.record('approve_review', fresh.entry, actor=actor,
                        details={'review': fresh.id, 'reviewed_on': fresh.reviewed_on.isoformat()})
    return fresh


def snapshot_of_data(data, department_codes, emails):
    """What an entry would look like with ``data``, shaped like ``entry.snapshot()``.

    Only the fields ``data`` sets; the maps give department codes and e-mails by id.
    """
    snap = {}
    for name in SCALAR_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name in ENCRYPTED_FIELDS:
            value = (value or '').strip() or None
        elif name in ('disposal_methods', 'security_measures'):
            value = split_codes(value)
        snap[name] = value
    if 'department_id' in data:
        snap['department'] = department_codes.get(data['department_id'])
    if 'responsible_id' in data:
        snap['responsible'] = emails.get(data['responsible_id'])
    for name in ('items', 'free_items'):
        if name in data:
            snap[name] = sorted(data[name])
    for name in REVIEW_FIELDS:
        if data.get(name) is not None:
            snap[name] = data[name].isoformat()
    return snap


def record_read(entry, fields, context='entry'):
    """An audit row for showing decrypted fields (names only); ``auditlog.record``
    appends it in a transaction of its own."""
    auditlog.record('read', entry, details={'reference': entry.reference,
                                            'fields': sorted(fields), 'view': context})


def change_purposes(entry_id, purposes, *, actor=None, notice=''):
    """Write new purposes of use into the entry, as a notice of a change of purpose takes
    effect (``notice``: its reference, for the audit row): a revision ('purpose') and an
    audit row in the caller's transaction. Not a review: the review dates stay. Raises
    ``RetiredEntry`` for a retired entry. Returns (entry, changes)."""
    fresh = _lock(entry_id, None)
    if fresh.is_retired:
        raise RetiredEntry(fresh)
    before = fresh.snapshot()
    fresh.purposes = purposes
    changes = _diff(before, fresh.snapshot())
    if not changes:
        return fresh, {}
    fresh.version += 1
    fresh.updated_at = utcnow()
    fresh.updated_by = actor.id if actor else None
    fresh.save()
    _write_revision(fresh, 'purpose', changes, actor)
    _audit('update', fresh, changes, actor, notice=notice)
    return fresh, changes
