"""Writes of inquiries and complaints: each one and its audit-log row in one transaction.

Only the Customer Center writes (``InquiryError`` 403 for anyone else). The audit log
names the fields written or read, never their (encrypted) values.
"""
import datetime

from flask import current_app
from flask_babel import gettext as _

from .. import auditlog
from ..db import database, utcnow
from ..disclosure.models import DisclosureRequest
from ..incidents.models import Incident
from ..timezone import office_zone, today_local
from . import catalogue as C
from .models import Inquiry, InquiryLink, may_handle

EDITABLE = ('kind', 'channel', 'category', 'subject', 'contact_name', 'contact_details',
            'content')


class InquiryError(Exception):
    """A write that cannot be made; ``status`` 403, 404, 409 or 422."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


def _require(actor):
    if not may_handle(actor):
        raise InquiryError(_('Only the Customer Center records and answers inquiries.'), 403)


def to_utc(local):
    """A naive time in the office's zone as naive UTC."""
    return (local.replace(tzinfo=office_zone()).astimezone(datetime.timezone.utc)
            .replace(tzinfo=None))


def default_due(received_day):
    return received_day + datetime.timedelta(days=current_app.config['INQUIRY_DUE_DAYS'])


def create(data, actor):
    """Record an inquiry; its answer is due ``INQUIRY_DUE_DAYS`` after receipt unless set."""
    _require(actor)
    received = data['received_local']
    with database.atomic():
        values = {name: data[name] for name in EDITABLE}
        for name in Inquiry.PERSONAL_FIELDS:
            if name in values and not values[name]:
                values[name] = None  # nothing to encrypt
        inquiry = Inquiry(created_by=actor, received_at=to_utc(received),
                          due_on=data.get('due_on') or default_due(received.date()), **values)
        inquiry.save()
        auditlog.record('create', inquiry, actor=actor, details={
            'reference': inquiry.reference, 'kind': inquiry.kind, 'channel': inquiry.channel,
            'category': inquiry.category, 'due_on': inquiry.due_on,
            'fields': sorted(n for n in Inquiry.PERSONAL_FIELDS if data.get(n))})
    return inquiry


def _check_version(inquiry, version):
    if version != inquiry.version:
        raise InquiryError(_('Someone else changed this inquiry meanwhile; the current '
                             'state is shown. Repeat your change on it.'), 409)


def _save(inquiry, action, actor, details):
    inquiry.version += 1
    inquiry.updated_at = utcnow()
    inquiry.save()
    auditlog.record(action, inquiry, actor=actor, details=dict(
        details, reference=inquiry.reference))


def update(inquiry, data, version, actor):
    """Save the edit form; encrypted fields are logged by name when they change."""
    _require(actor)
    with database.atomic():
        current = Inquiry.get_by_id(inquiry.id)
        _check_version(current, version)
        changes, personal = {}, []
        for name in EDITABLE:
            value = data[name] or (None if name in Inquiry.PERSONAL_FIELDS else '')
            if (getattr(current, name) or None) != (value or None):
                if name in Inquiry.PERSONAL_FIELDS:
                    personal.append(name)
                else:
                    changes[name] = [getattr(current, name), value]
                setattr(current, name, value)
        received = to_utc(data['received_local'])
        if received != current.received_at:
            changes['received_at'] = [current.received_at, received]
            current.received_at = received
        due = data.get('due_on') or current.due_on
        if due != current.due_on:
            changes['due_on'] = [current.due_on, due]
            current.due_on = due
        if changes or personal:
            _save(current, 'update', actor, {'changes': changes, 'fields': sorted(personal)})
    return current


def answer(inquiry, text, answered_on, version, actor):
    """Record the answer given (open → answered); a later answer replaces it."""
    _require(actor)
    if inquiry.status == C.CLOSED:
        raise InquiryError(_('This inquiry is closed; reopen it to change the answer.'), 409)
    with database.atomic():
        current = Inquiry.get_by_id(inquiry.id)
        _check_version(current, version)
        before = current.status
        current.answer = text
        current.answered_by = actor
        if answered_on == today_local():
            current.answered_at = utcnow()
        else:
            current.answered_at = to_utc(datetime.datetime.combine(answered_on,
                                                                   datetime.time(12)))
        current.status = C.ANSWERED
        _save(current, 'answer', actor, {'status': [before, C.ANSWERED], 'fields': ['answer'],
                                         'answered_on': answered_on,
                                         'late': answered_on > current.due_on})
    return current


def close(inquiry, version, actor):
    """answered → closed: nothing more is expected from either side."""
    _require(actor)
    with database.atomic():
        current = Inquiry.get_by_id(inquiry.id)
        _check_version(current, version)
        if current.status != C.ANSWERED:
            raise InquiryError(_('Record the answer before closing the inquiry.'), 409)
        current.status = C.CLOSED
        current.closed_at = utcnow()
        current.closed_by = actor
        _save(current, 'close', actor, {'status': [C.ANSWERED, C.CLOSED]})
    return current


def reopen(inquiry, version, actor):
    """closed → answered, when the person comes back about it."""
    _require(actor)
    with database.atomic():
        current = Inquiry.get_by_id(inquiry.id)
        _check_version(current, version)
        if current.status != C.CLOSED:
            raise InquiryError(_('Only a closed inquiry can be reopened.'), 409)
        current.status = C.ANSWERED
        current.closed_at = None
        current.closed_by = None
        _save(current, 'reopen', actor, {'status': [C.CLOSED, C.ANSWERED]})
    return current


def find_target(kind, reference, actor):
    """The request or the incident a reference names, if the actor may see it; else None."""
    term = (reference or '').strip().upper()
    if kind == C.DISCLOSURE:
        number = term.removeprefix('DR-').lstrip('0')
        if not number.isdigit() or len(number) > 9:
            return None
        return DisclosureRequest.get_visible(actor, int(number))
    if kind == C.INCIDENT:
        return Incident.visible_to(actor).where(Incident.reference == term).first()
    return None


def link(inquiry, kind, reference, note, actor):
    """Link the inquiry to the request or incident it became (both sides show it)."""
    _require(actor)
    target = find_target(kind, reference, actor)
    if target is None:
        raise InquiryError(_('No %(what)s with the reference %(ref)s is open to you.',
                             what=dict(C.LINK_KINDS)[kind], ref=reference), 422)
    return link_target(inquiry, target, note, actor)


def link_target(inquiry, target, note, actor):
    """Link the inquiry to ``target`` (a ``DisclosureRequest`` or an ``Incident``); 409 when
    it is linked already."""
    _require(actor)
    column = 'disclosure_request' if isinstance(target, DisclosureRequest) else 'incident'
    with database.atomic():
        exists = InquiryLink.select().where(
            (InquiryLink.inquiry == inquiry.id)
            & (getattr(InquiryLink, column) == target.id)).exists()
        if exists:
            raise InquiryError(_('This inquiry is already linked to %(ref)s.',
                                 ref=target.reference), 409)
        row = InquiryLink.create(inquiry=inquiry, created_by=actor, note=note or '',
                                 **{column: target})
        auditlog.record('link', inquiry, actor=actor, details={
            'reference': inquiry.reference, 'target': target.reference, 'link_id': row.id})
    return row


def unlink(inquiry, link_row, actor):
    _require(actor)
    with database.atomic():
        target = (link_row.disclosure_request_id and 'DR-%05d' % link_row.disclosure_request_id
                  or 'incident:%s' % link_row.incident_id)
        link_row.delete_instance()
        auditlog.record('unlink', inquiry, actor=actor, details={
            'reference': inquiry.reference, 'target': target})


def record_read(inquiry, fields, actor, view):
    """Log that ``actor`` was shown the encrypted ``fields`` (their names only)."""
    shown = sorted(name for name in fields if getattr(inquiry, name))
    if shown:
        with database.atomic():
            auditlog.record('read', inquiry, actor=actor, details={
                'reference': inquiry.reference, 'fields': shown, 'view': view})
