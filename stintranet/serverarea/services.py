"""Writes of the server area: each one and its audit-log row in one transaction.

Who may write is checked here as well as in the views (``AreaError`` with 403): the
committee for every area, a manager for the areas of their departments.
"""
from flask_babel import gettext as _

from .. import auditlog
from ..db import database, utcnow
from .models import AreaDevice, AreaEntry, AuthorisedPerson, ServerArea, may_manage

AREA_FIELDS = ('name', 'department', 'location', 'note', 'active')


class AreaError(Exception):
    """A write that cannot be made; ``status`` 403, 409 or 422, ``message`` for the user."""

    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


def _require(user, department_id):
    if not may_manage(user, department_id):
        raise AreaError(_('You may not manage this area.'), 403)


def create_area(data, actor):
    """A new area of a department the actor manages."""
    _require(actor, data['department'])
    with database.atomic():
        area = ServerArea.create(created_by=actor, updated_by=actor, **{
            name: data[name] for name in AREA_FIELDS})
        auditlog.record('create', area, actor=actor, details={
            'department_id': area.department_id, 'name': area.name})
    return area


def update_area(area, data, version, actor):
    """Save the form over the area; a stale version is a 409."""
    _require(actor, area.department_id)
    _require(actor, data['department'])
    with database.atomic():
        current = ServerArea.get_by_id(area.id)
        if current.version != version:
            raise AreaError(_('Someone else changed this area meanwhile; their version is '
                              'shown. Repeat your change on it.'), 409)
        changes = {}
        for name in AREA_FIELDS:
            before = getattr(current, name + '_id' if name == 'department' else name)
            if before != data[name]:
                changes[name] = [before, data[name]]
                setattr(current, name, data[name])
        if changes:
            current.version += 1
            current.updated_at = utcnow()
            current.updated_by = actor
            current.save()
            auditlog.record('update', current, actor=actor, details={'changes': changes})
    return current


def authorise(area, user, valid_from, valid_until, note, actor):
    """Authorise ``user`` to enter ``area`` from ``valid_from`` (through ``valid_until``)."""
    _require(actor, area.department_id)
    with database.atomic():
        person = AuthorisedPerson.create(area=area, user=user, valid_from=valid_from,
                                         valid_until=valid_until, note=note or '',
                                         created_by=actor)
        auditlog.record('create', person, actor=actor, details={
            'area_id': area.id, 'user_id': user.id, 'valid_from': valid_from,
            'valid_until': valid_until})
    return person


def end_authorisation(person, area, day, actor):
    """The authorisation ends with ``day`` (kept as a record; not deleted)."""
    _require(actor, area.department_id)
    with database.atomic():
        person = AuthorisedPerson.get_by_id(person.id)
        if person.valid_until is not None and person.valid_until <= day:
            raise AreaError(_('This authorisation has already ended.'), 409)
        before = person.valid_until
        person.valid_until = max(day, person.valid_from)
        person.save()
        auditlog.record('update', person, actor=actor, details={
            'area_id': area.id, 'changes': {'valid_until': [before, person.valid_until]}})
    return person


def record_entry(area, *, actor, today, person=None, visitor_name='', visitor_company='',
                 escort=None, purpose, purpose_detail='', now=None):
    """Someone enters ``area``: an account (authorised today or not) or a visitor.

    Someone not authorised is let in and recorded as such; without an escort the daily
    job flags the entry. An account already inside cannot enter twice (409).
    """
    _require(actor, area.department_id)
    if not area.active:
        raise AreaError(_('This area is no longer in use.'), 409)
    with database.atomic():
        authorised = bool(person) and AuthorisedPerson.is_authorised(area.id, person.id, today)
        if person is not None and AreaEntry.inside(area.id, person.id):
            raise AreaError(_('%(name)s is already inside: record the exit first.',
                              name=person.name), 409)
        if escort is not None and (person is not None and escort.id == person.id):
            escort = None
        entry = AreaEntry.create(
            area=area, person=person, visitor_name='' if person else visitor_name.strip(),
            visitor_company='' if person else visitor_company.strip(), authorised=authorised,
            escort=None if authorised else escort, purpose=purpose,
            purpose_detail=(purpose_detail or '').strip(), entered_at=now or utcnow(),
            recorded_by=actor)
        auditlog.record('create', entry, actor=actor, details={
            'area_id': area.id, 'person_id': person.id if person else None,
            'visitor': person is None, 'authorised': authorised,
            'escort_id': entry.escort_id, 'purpose': purpose})
    return entry


def record_exit(entry, area, actor, now=None):
    """The person leaves; their devices still inside leave with them."""
    _require(actor, area.department_id)
    now = now or utcnow()
    with database.atomic():
        entry = AreaEntry.get_by_id(entry.id)
        if entry.exited_at is not None:
            raise AreaError(_('This exit was already recorded.'), 409)
        entry.exited_at = max(now, entry.entered_at)
        entry.exit_recorded_by = actor
        entry.version += 1
        entry.updated_at = utcnow()
        entry.save()
        devices = (AreaDevice.update(taken_out_at=entry.exited_at, updated_at=utcnow(),
                                     version=AreaDevice.version + 1)
                   .where((AreaDevice.entry == entry.id) & AreaDevice.taken_out_at.is_null())
                   .execute())
        auditlog.record('exit', entry, actor=actor, details={
            'area_id': area.id, 'devices_taken_out': devices})
    return entry


def add_device(entry, area, *, kind, description, inspected, approver, actor, now=None):
    """A device brought in by the person of an open entry; approved by ``approver`` (a
    manager of the area) or left for approval."""
    _require(actor, area.department_id)
    if approver is not None and not may_manage(approver, area.department_id):
        raise AreaError(_('Only a manager of the area or the committee can approve a '
                          'device.'), 422)
    now = now or utcnow()
    with database.atomic():
        entry = AreaEntry.get_by_id(entry.id)
        if entry.exited_at is not None:
            raise AreaError(_('This person has left; a device can only be added to someone '
                              'inside.'), 409)
        owner = entry.person.name if entry.person_id else entry.who
        device = AreaDevice.create(
            area=area, entry=entry, kind=kind, description=(description or '').strip(),
            owner=owner[:160], inspected=inspected, brought_in_at=now,
            approved_by=approver, approved_at=now if approver else None, recorded_by=actor)
        auditlog.record('create', device, actor=actor, details={
            'area_id': area.id, 'entry_id': entry.id, 'kind': kind, 'inspected': inspected,
            'approved_by': approver.id if approver else None})
    return device


def approve_device(device, area, actor):
    """The actor, a manager of the area, approves a device brought in."""
    _require(actor, area.department_id)
    with database.atomic():
        device = AreaDevice.get_by_id(device.id)
        if device.approved_by_id is not None:
            raise AreaError(_('This device is already approved.'), 409)
        device.approved_by = actor
        device.approved_at = utcnow()
        device.version += 1
        device.updated_at = utcnow()
        device.save()
        auditlog.record('approve', device, actor=actor, details={'area_id': area.id})
    return device


def device_out(device, area, actor, now=None):
    """The device leaves the area before its owner."""
    _require(actor, area.department_id)
    with database.atomic():
        device = AreaDevice.get_by_id(device.id)
        if device.taken_out_at is not None:
            raise AreaError(_('This device has already been taken out.'), 409)
        device.taken_out_at = max(now or utcnow(), device.brought_in_at)
        device.version += 1
        device.updated_at = utcnow()
        device.save()
        auditlog.record('update', device, actor=actor, details={
            'area_id': area.id, 'changes': {'taken_out': True}})
    return device
