"""Incident writes: the report, the state machine, triage, clocks and the timeline.

Every change happens in one ``database.atomic()`` with its timeline entry and
its audit-log row. The state machine is ``TRANSITIONS``: each transition names
the states it leaves, the state it reaches and who may make it; anything else
raises ``IncidentError`` (403 for the wrong person, 409 for the wrong state or
a stale version) and changes nothing.
"""
import datetime
import json
from collections import namedtuple

from flask import current_app
from flask_babel import lazy_gettext as _l

from .. import auditlog, tasks
from ..auth import roles as R
from ..auth.models import User, UserRole
from ..db import database, utcnow
from ..ledger.catalogue import BAND_RANGES
from ..notifications.services import link_to, notify
from . import appi, pack, timeline
from .models import (
    CLOSED,
    CONTAINED,
    DISMISSED,
    FINAL_STATUSES,
    INVESTIGATING,
    REPORTED,
    STATUS_LABELS,
    TRIAGE,
    Incident,
    IncidentAttachment,
    IncidentEvent,
    IncidentLedgerLink,
    IncidentSequence,
    reporter_ref,
)


class IncidentError(Exception):
    """A change refused; ``status`` 403 (who) or 409 (state, version), ``message`` for people."""

    def __init__(self, message, status=409):
        super().__init__(str(message))
        self.message, self.status = message, status


def is_committee(user, incident=None):
    return user.has_role(R.COMMITTEE)


def is_handler(user, incident):
    return incident.handler_id is not None and incident.handler_id == user.id


def committee_or_handler(user, incident):
    return is_committee(user) or is_handler(user, incident)


def is_reviewer(user, incident):
    """Sees the whole case: committee, auditors, the handler, and a manager of the
    reporter's department or of a linked entry's (a confidential report once it is
    triaged). A reporter who is none of these follows their report like any employee."""
    if user.reads_all_departments() or is_handler(user, incident):
        return True
    managed = user.managed_department_ids if user.has_role(R.MANAGER) else ()
    if not managed or not incident.is_released_to_departments:
        return False
    if incident.department_id in managed:
        return True
    return IncidentLedgerLink.incidents_of_departments(managed).where(
        IncidentLedgerLink.incident == incident.id).exists()


def may_comment(user, incident):
    """Reviewers except the read-only auditors, plus the reporter on their own case."""
    if user.has_role(R.COMMITTEE, R.MANAGER) or is_handler(user, incident):
        return True
    return incident.is_reporter(user)


Transition = namedtuple('Transition', 'name sources target label allowed who note_required')

TRANSITIONS = {
    'triage': Transition('triage', (REPORTED,), TRIAGE, _l('Start triage'),
                         is_committee, _l('the committee'), False),
    'investigate': Transition('investigate', (TRIAGE,), INVESTIGATING,
                              _l('Start the investigation'), is_committee,
                              _l('the committee'), False),
    'contain': Transition('contain', (INVESTIGATING,), CONTAINED, _l('Mark as contained'),
                          committee_or_handler, _l('the committee or the handler'), False),
    'reopen': Transition('reopen', (CONTAINED,), INVESTIGATING,
                         _l('Reopen the investigation'), committee_or_handler,
                         _l('the committee or the handler'), True),
    'close': Transition('close', (CONTAINED,), CLOSED, _l('Close the case'), is_committee,
                        _l('the committee'), True),
    'dismiss': Transition('dismiss', (REPORTED, TRIAGE, INVESTIGATING), DISMISSED,
                          _l('Dismiss (not an incident)'), is_committee, _l('the committee'),
                          True),
}


def available_transitions(user, incident):
    """The transitions ``user`` may make from the incident's current state."""
    return [t for t in TRANSITIONS.values()
            if incident.status in t.sources and t.allowed(user, incident)]


def _check_version(incident, version):
    if version not in (None, '') and int(version) != incident.version:
        raise IncidentError(_l('Someone else changed this case meanwhile. The current state '
                               'is shown; check it and send your change again.'))


def _check_open(incident):
    if incident.status in FINAL_STATUSES:
        raise IncidentError(_l('This case is %(status)s; it can no longer be changed.',
                               status=STATUS_LABELS[incident.status].lower()))


def _guard(transition, incident):
    """Conditions a state must meet before the transition; raise 409 when not."""
    if transition.name == 'investigate':
        missing = []
        if incident.handler_id is None:
            missing.append(str(_l('a handler')))
        if not incident.severity:
            missing.append(str(_l('a severity')))
        if missing:
            raise IncidentError(_l('Before the investigation starts, set %(what)s in the '
                                   'triage.', what=' and '.join(missing)))
    if transition.name == 'close' and incident.reportable:
        missing = []
        if incident.preliminary_sent_on is None:
            missing.append(str(_l('the date of the preliminary report')))
        if incident.final_sent_on is None:
            missing.append(str(_l('the date of the final report')))
        if incident.notice_sent_on is None and incident.announcement_on is None:
            missing.append(str(_l('the notice to the individuals (or a public announcement)')))
        if missing:
            raise IncidentError(_l('This case is reportable to the PPC. Record %(what)s '
                                   'before closing it.', what='; '.join(missing)))


def transition(incident, name, *, actor, note='', version=None):
    """Move the case; the timeline gets the step and the note."""
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise IncidentError(_l('Unknown step.'), 400)
    note = (note or '').strip()
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not spec.allowed(actor, incident):
            raise IncidentError(_l('Only %(who)s may do this.', who=spec.who), 403)
        if incident.status not in spec.sources:
            if incident.status in FINAL_STATUSES:
                raise IncidentError(_l('This case is %(status)s; it cannot move to '
                                       '"%(target)s".',
                                       status=STATUS_LABELS[incident.status].lower(),
                                       target=STATUS_LABELS[spec.target]))
            raise IncidentError(_l('A case in "%(status)s" cannot move to "%(target)s".',
                                   status=STATUS_LABELS[incident.status],
                                   target=STATUS_LABELS[spec.target]))
        _check_version(incident, version)
        if spec.note_required and not note:
            raise IncidentError(_l('Give the reason in the note.'), 422)
        _guard(spec, incident)
        before = incident.status
        incident.status = spec.target
        if spec.target in FINAL_STATUSES:
            incident.closed_at = utcnow()
        _save(incident)
        add_event(incident, IncidentEvent.TRANSITION, actor=actor, from_status=before,
                  to_status=spec.target, body=note or None, internal=False,
                  summary='%s → %s' % (before, spec.target))
        auditlog.record('transition', incident, actor=actor,
                        details={'from': before, 'to': spec.target, 'note': bool(note)})
    return incident


def _save(incident):
    incident.updated_at = utcnow()
    incident.version += 1
    incident.save()


def add_event(incident, kind, *, actor=None, by_reporter=False, summary='', body=None,
              from_status=None, to_status=None, attachment=None, internal=True,
              details=None):
    """Append a timeline entry (the caller holds the transaction). ``details`` is what
    it changed, as data for ``timeline.describe``; ``summary`` the same in English."""
    event = IncidentEvent(incident=incident, kind=kind,
                          author=None if by_reporter else actor, by_reporter=by_reporter,
                          summary=summary[:500], body=body, from_status=from_status,
                          to_status=to_status, attachment=attachment, internal=internal,
                          details=timeline.dumps(details) if details is not None else None)
    event.save()
    return event


def record_as(incident, action, user, details=None, by_reporter=False, object_=None):
    """Audit-log ``action``; a confidential reporter's own steps are not named.

    A reporter who asked not to be named is protected from everyone who reads
    the audit log as well: their steps on their own report are recorded
    without actor or address. The report keeps their identity, encrypted.
    """
    details = dict(details or {})
    target = object_ if object_ is not None else incident
    if by_reporter and not incident.reporter_name_shown:
        details['actor'] = auditlog.models.CONFIDENTIAL
        return auditlog.append(action, object_type=target._meta.table_name,
                               object_id=getattr(target, target._meta.primary_key.name),
                               details=details)
    return auditlog.record(action, target, actor=user, details=details)


def log_read(incident, user, fields, by_reporter=False):
    """Every read of encrypted fields shown to a person: the field names only."""
    if fields:
        record_as(incident, 'read', user, {'fields': sorted(set(fields))},
                  by_reporter=by_reporter)


def local_year(moment):
    zone = current_app.config['TIMEZONE']
    from zoneinfo import ZoneInfo
    return appi.local_date(moment, ZoneInfo(zone)).year


def entry_size(entry):
    """The number of persons in a ledger entry's data set: its estimate, else the top of
    its band (the bottom for the open band); None when the entry gives neither."""
    size = entry.person_estimate
    if size is None and entry.person_band in BAND_RANGES:
        low, high = BAND_RANGES[entry.person_band]
        size = high if high is not None else low
    return size


# Which number of persons applies once an entry is linked: the reporter's count, the
# whole data set of the entry, or none yet (the committee decides in the triage).
PERSONS_CHOICES = ('reporter', 'data_set', 'undecided')


def _prefill_from_entry(incident, entry, persons=None):
    """Fill data items and special care from a ledger entry; name what changed. The
    number of persons is set only as the committee chose (``persons``: 'reporter' or
    'data_set'): the data set's size is not the incident's unless the whole set is
    concerned, and the reporter's count is not replaced unasked."""
    entry_items = [row.display for row in entry.item_rows]
    current = incident.item_list
    added = [str(i) for i in entry_items if str(i) not in current]
    changed = []
    if added:
        incident.data_items = '\n'.join(current + added)[:2000]
        changed.append('data_items')
    if entry.special_care and not incident.special_care:
        incident.special_care = True
        changed.append('special_care')
    size = {'reporter': incident.estimated_persons,
            'data_set': entry_size(entry)}.get(persons)
    if size is not None and size != incident.persons_affected:
        incident.persons_affected = size
        changed.append('persons_affected')
    if changed:
        incident.reportable = incident.assessment().reportable
    return changed


def _link(incident, entry, actor, by_reporter, persons=None):
    link = IncidentLedgerLink.create(incident=incident, entry=entry,
                                     linked_by=None if by_reporter else actor,
                                     by_reporter=by_reporter)
    changed = _prefill_from_entry(incident, entry, persons)
    summary = 'Linked ledger entry %s "%s"' % (entry.reference, entry.title)
    if changed:
        summary += '; prefilled: %s' % ', '.join(changed)
    if persons in ('reporter', 'data_set'):
        summary += "; persons affected: %s" % ("the reporter's count" if persons == 'reporter'
                                               else 'the whole data set')
    add_event(incident, IncidentEvent.LEDGER, actor=actor, by_reporter=by_reporter,
              summary=summary, details={'entry': entry.reference, 'title': entry.title,
                                        'prefilled': changed, 'persons': persons})
    return link, changed


def committee_members():
    return list(User.select().where(
        (User.active == True) & User.id.in_(  # noqa: E712
            UserRole.select(UserRole.user).where(UserRole.role == R.COMMITTEE))))


def report(reporter, *, narrative, noticed_at, kind, estimated_persons, name_shown,
           entry=None):
    """File a report: the reference number is taken at once, the clock starts."""
    now = utcnow()
    with database.atomic():
        year = local_year(now)
        number = IncidentSequence.next_number(year)
        identity = {'id': reporter.id, 'name': reporter.name, 'email': reporter.email,
                    'department': reporter.department.code}
        incident = Incident(
            reference='INC-%04d-%04d' % (year, number), year=year, number=number,
            kind=kind, narrative=narrative.strip(), reporter_ref=reporter_ref(reporter),
            reporter_identity=json.dumps(identity, ensure_ascii=False),
            reporter_name_shown=bool(name_shown), department=reporter.department_id,
            noticed_at=noticed_at, reported_at=now, aware_at=now,
            estimated_persons=estimated_persons, updated_at=now)
        incident.save()
        add_event(incident, IncidentEvent.REPORTED, actor=reporter, by_reporter=True,
                  to_status=REPORTED, internal=False, summary='Reported')
        record_as(incident, 'create', reporter,
                  {'reference': incident.reference, 'kind': kind,
                   'fields': ['narrative', 'reporter_identity']}, by_reporter=True)
        if entry is not None:
            _link(incident, entry, reporter, by_reporter=True)
            incident.save()
        notify(committee_members(), 'incident:%d:reported' % incident.id,
               _l('New incident report %(ref)s', ref=incident.reference),
               link=link_to('incidents.detail', incident_id=incident.id),
               priority=tasks.ALERT)  # before any waiting reminder
    return incident


TRIAGE_FIELDS = ('handler', 'kind', 'severity', 'summary', 'data_items', 'persons_affected',
                 'special_care', 'property_damage_risk', 'wrongful_purpose',
                 'data_being_acquired', 'advanced_encryption', 'encryption_note', 'key_leaked')


def update_triage(incident, *, actor, version=None, **values):
    """Set handler, kind, severity and the facts that decide reportability."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee triages cases.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        before_reportable = incident.reportable
        changes = {}
        for name in TRIAGE_FIELDS:
            if name not in values:
                continue
            new = values[name]
            old = incident.handler_id if name == 'handler' else getattr(incident, name)
            new_cmp = new.id if name == 'handler' and new is not None else new
            if old != new_cmp:
                changes[name] = (old, new_cmp)
                setattr(incident, name, new)
        if not changes:
            return incident
        incident.reportable = incident.assessment().reportable
        _save(incident)
        shown = {k: v for k, v in changes.items()
                 if k in ('kind', 'severity', 'persons_affected', 'special_care',
                          'property_damage_risk', 'wrongful_purpose', 'data_being_acquired',
                          'advanced_encryption', 'key_leaked')}
        summary = 'Triage: %s' % ', '.join(sorted(changes))
        if incident.reportable != before_reportable:
            summary += '; now %s' % ('REPORTABLE to the PPC' if incident.reportable
                                     else 'not reportable')
        details = {'changed': {name: _shown_value(incident, name) for name in changes}}
        if incident.reportable != before_reportable:
            details['reportable'] = incident.reportable
        add_event(incident, IncidentEvent.TRIAGE, actor=actor, summary=summary,
                  details=details)
        if 'handler' in changes and incident.handler_id:
            notify([incident.handler], 'incident:%d:handler:%d' % (
                incident.id, incident.handler_id),
                _l('You are the handler of %(ref)s', ref=incident.reference),
                link=link_to('incidents.detail', incident_id=incident.id),
                priority=tasks.ALERT)
        auditlog.record('update', incident, actor=actor, details={
            'changed': sorted(changes),
            'values': {k: [v[0], v[1]] for k, v in shown.items()},
            'reportable': incident.reportable})
    return incident


def _shown_value(incident, name):
    """The new value of a triage field as the timeline keeps it: the handler's name, the
    codes, numbers and flags; for free texts only whether one is given."""
    if name == 'handler':
        return incident.handler.name if incident.handler_id else None
    value = getattr(incident, name)
    if name in timeline.VALUE_SHOWN:
        return value
    return bool(value) or None


def set_awareness(incident, *, aware_at, reason, actor, version=None):
    """The committee sets an earlier time of awareness, with the reason."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee sets the time of awareness.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        if aware_at > incident.reported_at:
            raise IncidentError(_l('The time of awareness cannot be after the report.'), 422)
        before = incident.aware_at
        incident.aware_at = aware_at
        incident.aware_reason = reason.strip()
        _save(incident)
        add_event(incident, IncidentEvent.AWARENESS, actor=actor,
                  summary='Awareness set to %s UTC (was %s UTC)' % (
                      aware_at.isoformat(sep=' ', timespec='minutes'),
                      before.isoformat(sep=' ', timespec='minutes')),
                  details={'aware_at': aware_at, 'was': before})
        auditlog.record('update', incident, actor=actor, details={
            'changed': ['aware_at', 'aware_reason'],
            'aware_at': [before.isoformat(), aware_at.isoformat()]})
    return incident


REPORT_FIELDS = ('preliminary_sent_on', 'final_sent_on', 'notice_sent_on', 'notice_count',
                 'notice_method', 'announcement_on', 'announcement_note')


def record_reports(incident, *, actor, version=None, **values):
    """Dates the reports, the notice and the announcement were made."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee records reports to the PPC.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        changes = {}
        for name in REPORT_FIELDS:
            if name in values and getattr(incident, name) != values[name]:
                changes[name] = [getattr(incident, name), values[name]]
                setattr(incident, name, values[name])
        if not changes:
            return incident
        _save(incident)
        summary = []
        labels = {'preliminary_sent_on': 'preliminary report', 'final_sent_on': 'final report',
                  'notice_sent_on': 'notice to the individuals',
                  'announcement_on': 'public announcement'}
        for name, label in labels.items():
            if name in changes:
                value = changes[name][1]
                summary.append('%s %s' % (label, value.isoformat() if value else 'cleared'))
        for name in ('notice_count', 'notice_method', 'announcement_note'):
            if name in changes:
                summary.append(name.replace('_', ' '))
        add_event(incident, IncidentEvent.REPORTS, actor=actor,
                  summary='Recorded: %s' % '; '.join(summary),
                  details={'changed': {
                      name: (new if name.endswith('_on') or name == 'notice_count'
                             else bool(new) or None)
                      for name, (_old, new) in changes.items()}})
        pack.record_filings(incident, changes, actor)  # what was known at each filing
        auditlog.record('update', incident, actor=actor, details={
            'changed': sorted(changes),
            'values': {k: [v[0], v[1]] for k, v in changes.items()
                       if k.endswith('_on') or k == 'notice_count'}})
    return incident


PACK_FIELDS = ('report_cause', 'report_secondary_damage', 'report_recurrence', 'report_other')


def update_pack(incident, *, actor, version=None, **values):
    """The texts of the PPC report that the facts do not give."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee writes the PPC report.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        changed = []
        for name in PACK_FIELDS:
            if name in values:
                new = (values[name] or '').strip() or None
                if (getattr(incident, name) or None) != new:
                    setattr(incident, name, new)
                    changed.append(name)
        if not changed:
            return incident
        _save(incident)
        add_event(incident, IncidentEvent.PACK, actor=actor,
                  summary='PPC report texts updated: %s' % ', '.join(changed),
                  details={'changed': changed})
        auditlog.record('update', incident, actor=actor, details={'changed': changed})
    return incident


def add_comment(incident, *, actor, body, by_reporter=False):
    """Append a comment; the reporter's reach the reporter's own view."""
    body = (body or '').strip()
    if not body:
        raise IncidentError(_l('Write the comment first.'), 422)
    with database.atomic():
        incident = Incident.locked(incident.id)
        _check_open(incident)
        event = add_event(incident, IncidentEvent.COMMENT, actor=actor,
                          by_reporter=by_reporter, body=body,
                          summary='Further information from the reporter' if by_reporter
                          else 'Comment')
        record_as(incident, 'comment', actor, {'fields': ['incident_event.body']},
                  by_reporter=by_reporter, object_=event)
    return event


def add_attachment(incident, *, actor, data, media_type, filename, by_reporter=False):
    """Store a checked file, encrypted, with its timeline entry."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        _check_open(incident)
        attachment = IncidentAttachment(incident=incident, filename=filename, content=data,
                                        media_type=media_type, size=len(data),
                                        uploaded_by=None if by_reporter else actor,
                                        by_reporter=by_reporter)
        attachment.save()
        add_event(incident, IncidentEvent.ATTACHMENT, actor=actor, by_reporter=by_reporter,
                  attachment=attachment,
                  summary='Attachment (%s, %s bytes)' % (media_type, len(data)))
        record_as(incident, 'create', actor,
                  {'incident_id': incident.id, 'media_type': media_type, 'size': len(data),
                   'fields': ['filename', 'content']},
                  by_reporter=by_reporter, object_=attachment)
    return attachment


def link_entry(incident, entry, *, actor, version=None, persons=None):
    """The committee links a ledger entry; its items and special care prefill, and the
    number of persons affected follows ``persons`` (see ``_prefill_from_entry``)."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee links ledger entries.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        exists = IncidentLedgerLink.get_or_none(
            (IncidentLedgerLink.incident == incident.id)
            & (IncidentLedgerLink.entry == entry.id))
        if exists is not None:
            raise IncidentError(_l('This ledger entry is linked already.'), 409)
        link, changed = _link(incident, entry, actor, by_reporter=False, persons=persons)
        _save(incident)
        auditlog.record('link', incident, actor=actor, details={
            'ledger_entry_id': entry.id, 'prefilled': changed, 'persons': persons,
            'reportable': incident.reportable})
    return incident, changed


def unlink_entry(incident, link_id, *, actor, version=None):
    """Remove a link made in error; the facts it prefilled stay for the committee to edit."""
    with database.atomic():
        incident = Incident.locked(incident.id)
        if not is_committee(actor):
            raise IncidentError(_l('Only the committee links ledger entries.'), 403)
        _check_open(incident)
        _check_version(incident, version)
        link = IncidentLedgerLink.get_or_none((IncidentLedgerLink.id == link_id)
                                              & (IncidentLedgerLink.incident == incident.id))
        if link is None:
            raise IncidentError(_l('This link does not exist any more.'), 409)
        entry = link.entry
        link.delete_instance()
        _save(incident)
        add_event(incident, IncidentEvent.LEDGER, actor=actor,
                  summary='Unlinked ledger entry %s "%s"' % (entry.reference, entry.title),
                  details={'entry': entry.reference, 'title': entry.title, 'unlinked': True})
        auditlog.record('unlink', incident, actor=actor,
                        details={'ledger_entry_id': entry.id})
    return incident


def utc_to_local(moment):
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(current_app.config['TIMEZONE'])
    return moment.replace(tzinfo=datetime.timezone.utc).astimezone(zone).replace(tzinfo=None)


def local_to_utc(moment):
    from zoneinfo import ZoneInfo
    zone = ZoneInfo(current_app.config['TIMEZONE'])
    return moment.replace(tzinfo=zone).astimezone(datetime.timezone.utc).replace(tzinfo=None)
