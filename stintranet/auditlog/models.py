"""The append-only, hash-chained audit log.

Each row stores the previous row's hash and an HMAC-SHA256, keyed with a key
of its own (``instance/keys/audit-hmac.key``), over that hash and the row's
canonical content. ``verify()`` walks the chain; triggers (migration 0001)
refuse UPDATE and DELETE on the table.
"""
import datetime
import hashlib
import hmac
import json

from peewee import BooleanField, CharField, DateTimeField, IntegerField, Select, TextField, fn

from .. import keys
from ..db import BaseModel, database, is_sqlite, utcnow

GENESIS = '0' * 64
# The actor named in the details of a confidential reporter's steps.
CONFIDENTIAL = 'confidential reporter'
PG_LOCK_ID = 0x5717A0D1  # serialises appends on PostgreSQL


class AuditEvent(BaseModel):
    seq = IntegerField(primary_key=True)
    at = DateTimeField(default=utcnow, index=True)
    actor_id = IntegerField(null=True)
    actor_email = CharField(max_length=254, default='')
    action = CharField(max_length=40, index=True)
    object_type = CharField(max_length=40, default='')
    object_id = CharField(max_length=64, default='')
    details = TextField(default='{}')
    ip = CharField(max_length=64, default='')
    prev_hash = CharField(max_length=64)
    hash = CharField(max_length=64)

    class Meta:
        table_name = 'audit_event'
        indexes = (
            (('actor_id', 'seq'), False),
            (('object_type', 'object_id', 'seq'), False),
        )

    def canonical(self):
        return json.dumps({
            'seq': self.seq,
            'at': self.at.isoformat(timespec='microseconds'),
            'actor_id': self.actor_id,
            'actor_email': self.actor_email,
            'action': self.action,
            'object_type': self.object_type,
            'object_id': self.object_id,
            'details': self.details,
            'ip': self.ip,
        }, sort_keys=True, separators=(',', ':'), ensure_ascii=False)

    def compute_hash(self, key):
        message = (self.prev_hash + '\n' + self.canonical()).encode('utf-8')
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    @property
    def details_dict(self):
        try:
            return json.loads(self.details)
        except ValueError:
            return {}

    @property
    def is_confidential_step(self):
        """A step of a reporter who asked not to be named (``incidents.services.record_as``):
        stored with its exact time, shown with its date only."""
        return self.actor_id is None and self.details_dict.get('actor') == CONFIDENTIAL

    @classmethod
    def head(cls):
        return cls.select().order_by(cls.seq.desc()).first()

    @classmethod
    def head_link(cls):
        """(seq, hash) of the last event, or None: all an append needs of it."""
        return (cls.select(cls.seq, cls.hash).order_by(cls.seq.desc())
                .tuples().first())

    @classmethod
    def search(cls, actor_id=None, action=None, object_type=None, object_id=None,
               date_from=None, date_to=None):
        """The events matching the filters, newest first."""
        query = cls.select()
        if actor_id:
            query = query.where(cls.actor_id == actor_id)
        if action:
            query = query.where(cls.action == action)
        if object_type:
            query = query.where(cls.object_type == object_type)
        if object_id:
            query = query.where(cls.object_id == object_id)
        if date_from:
            query = query.where(cls.at >= date_from)
        if date_to:
            query = query.where(cls.at < date_to)
        return query.order_by(cls.seq.desc())

    @classmethod
    def actions(cls):
        """Every action in the log, sorted (the filter form's choices)."""
        return cls.distinct_values(cls.action)

    @classmethod
    def object_types(cls):
        """Every non-empty object type in the log, sorted."""
        return cls.distinct_values(cls.object_type, above='')

    @classmethod
    def distinct_values(cls, field, above=None):
        """The distinct values of an indexed ``field`` (greater than ``above``), sorted.

        A loose index scan: a recursive query asks the index for the smallest value
        after the last one found, one probe per distinct value, where SELECT DISTINCT
        reads an index entry per event.
        """
        first = cls.select(fn.MIN(field).alias('value'))
        if above is not None:
            first = first.where(field > above)
        found = first.cte('found', recursive=True, columns=('value',))
        Step = cls.alias()
        step = getattr(Step, field.name)
        following = Step.select(fn.MIN(step)).where(step > found.c.value)
        found = found.union_all(
            Select([found], [following]).where(found.c.value.is_null(False)))
        query = found.select_from(found.c.value).where(found.c.value.is_null(False))
        return sorted(value for (value,) in query.tuples())


_instance_path = None
_key = None


def init_app(app):
    """The HMAC key is read (and checked) on first use, or by ``startup.check``."""
    global _instance_path, _key
    _instance_path, _key = app.instance_path, None


def hmac_key():
    global _key
    if _key is None:
        if _instance_path is None:
            raise RuntimeError('the audit-log key is not loaded; create the app first')
        _key = keys.load_key(_instance_path, keys.AUDIT_KEY)
    return _key


def append(action, *, actor_id=None, actor_email='', object_type='', object_id='',
           details=None, ip=''):
    """Append one event to the chain, inside the caller's transaction if any."""
    with database.atomic():
        if not is_sqlite():
            # SQLite's IMMEDIATE transaction already holds the write lock.
            database.execute_sql('SELECT pg_advisory_xact_lock(%s)', (PG_LOCK_ID,))
        last = AuditEvent.head_link()
        last_seq, last_hash = last if last else (0, GENESIS)
        event = AuditEvent(
            seq=last_seq + 1,
            at=utcnow(),
            actor_id=actor_id,
            actor_email=actor_email or '',
            action=action,
            object_type=object_type or '',
            object_id=str(object_id) if object_id is not None else '',
            details=json.dumps(details or {}, sort_keys=True, ensure_ascii=False,
                               default=str),
            ip=ip or '',
            prev_hash=last_hash,
            hash='',
        )
        event.hash = event.compute_hash(hmac_key())
        event.save(force_insert=True)
    return event


def arranged(events, zone):
    """``events`` (newest first) as the log's pages and exports show them: a confidential
    reporter's steps carry no time, so they go first among their day's events (in
    ``zone``) rather than where they happened, next to the sign-in before them."""
    days, order = {}, []
    for event in events:
        day = event.at.replace(tzinfo=datetime.timezone.utc).astimezone(zone).date()
        if day not in days:
            days[day] = ([], [])
            order.append(day)
        days[day][0 if event.is_confidential_step else 1].append(event)
    return [event for day in order for group in days[day] for event in group]


class VerifyResult:
    def __init__(self, ok, count, head_seq, head_hash, bad_seq=None, reason=''):
        self.ok, self.count = ok, count
        self.head_seq, self.head_hash = head_seq, head_hash
        self.bad_seq, self.reason = bad_seq, reason


def _walk(events, expected_seq, prev, key):
    """Check that ``events`` (in sequence order) continue the chain after the entry
    ``expected_seq - 1`` whose hash is ``prev``: (count, last event, None, '') or
    (count, last good event, first bad sequence number, reason)."""
    count, last = 0, None
    for event in events:
        if event.seq != expected_seq:
            return count, last, expected_seq, ('entry %d is missing or out of order '
                                               '(found %d)' % (expected_seq, event.seq))
        if event.prev_hash != prev:
            return count, last, event.seq, ('entry %d does not link to the entry before it'
                                            % event.seq)
        if not hmac.compare_digest(event.compute_hash(key), event.hash):
            return count, last, event.seq, 'entry %d was altered' % event.seq
        prev, last, count = event.hash, event, count + 1
        expected_seq += 1
    return count, last, None, ''


def verify(head=None, key=None):
    """Walk the whole chain; ``head`` is an optional (seq, hash) kept elsewhere."""
    key = key or hmac_key()
    query = AuditEvent.select().order_by(AuditEvent.seq)
    count, last, bad_seq, reason = _walk(query.iterator(), 1, GENESIS, key)
    if bad_seq is not None:
        return VerifyResult(False, count, None, None, bad_seq, reason)
    head_seq = last.seq if last else 0
    head_hash = last.hash if last else GENESIS
    if head is not None:
        seq, digest = head
        if seq > head_seq:
            return VerifyResult(False, count, head_seq, head_hash, head_seq + 1,
                                'the log ends at %d but the kept head is %d: entries '
                                'were cut off' % (head_seq, seq))
        kept = AuditEvent.get_or_none(AuditEvent.seq == seq)
        if kept is None or kept.hash != digest:
            return VerifyResult(False, count, head_seq, head_hash, seq,
                                'entry %d does not match the kept head' % seq)
    return VerifyResult(True, count, head_seq, head_hash)


def verify_from(seq, digest, key=None):
    """Check the entries after entry ``seq``, which had the hash ``digest`` when it was last
    verified (0 and ``GENESIS``: the whole chain), up to the last entry there is now.

    Only the new entries are walked; the entry ``seq`` itself is read again, so a
    verified point that was altered, removed or cut off with the tail is caught too.
    Entries before it are not read again: ``verify`` does that.
    """
    key = key or hmac_key()
    head = AuditEvent.head_link()
    head_seq = head[0] if head else 0
    if seq:
        kept = AuditEvent.get_or_none(AuditEvent.seq == seq)
        if kept is None:
            return VerifyResult(False, 0, head_seq, None, seq,
                                'entry %d, verified before, is gone: entries were removed or '
                                'cut off' % seq)
        if kept.hash != digest or not hmac.compare_digest(kept.compute_hash(key), kept.hash):
            return VerifyResult(False, 0, head_seq, None, seq,
                                'entry %d was altered after it was verified' % seq)
    query = (AuditEvent.select().where((AuditEvent.seq > seq) & (AuditEvent.seq <= head_seq))
             .order_by(AuditEvent.seq))
    count, last, bad_seq, reason = _walk(query.iterator(), seq + 1, digest, key)
    if bad_seq is not None:
        return VerifyResult(False, count, head_seq, None, bad_seq, reason)
    if last is None:
        return VerifyResult(True, 0, seq, digest)
    return VerifyResult(True, count, last.seq, last.hash)


def failing(events, key=None):
    """The sequence numbers of ``events`` (a page of the log) that fail verification: each
    is checked against its HMAC and against the hash of the entry before it (the row
    before it on the page, else read, all in one query). A missing entry before one shows
    as that one failing."""
    events = list(events)
    if not events:
        return set()
    key = key or hmac_key()
    before = {e.seq: e.hash for e in events}
    wanted = sorted({e.seq - 1 for e in events if e.seq > 1} - set(before))
    # Read even when nothing is wanted, so that a page costs the same at any size.
    before.update(AuditEvent.select(AuditEvent.seq, AuditEvent.hash)
                  .where(AuditEvent.seq.in_(wanted)).tuples())
    bad = set()
    for event in events:
        expected = GENESIS if event.seq == 1 else before.get(event.seq - 1)
        if event.prev_hash != expected or not hmac.compare_digest(event.compute_hash(key),
                                                                  event.hash):
            bad.add(event.seq)
    return bad


class AuditCheck(BaseModel):
    """One check of the chain by the daily job: the entries it walked and, when the chain
    failed, the first broken entry. The next check starts after the last good one."""
    checked_at = DateTimeField(default=utcnow)
    first_seq = IntegerField()
    last_seq = IntegerField()
    last_hash = CharField(max_length=64)
    ok = BooleanField()
    bad_seq = IntegerField(null=True)
    reason = CharField(max_length=300, default='')

    class Meta:
        table_name = 'audit_check'
        indexes = ((('ok', 'id'), False),)

    @classmethod
    def latest(cls):
        return cls.select().order_by(cls.id.desc()).first()

    @classmethod
    def last_good(cls):
        return cls.select().where(cls.ok == True).order_by(cls.id.desc()).first()  # noqa: E712

    @classmethod
    def broken(cls):
        """The latest check when it found the chain broken, else None (one query)."""
        latest = cls.latest()
        return latest if latest is not None and not latest.ok else None
