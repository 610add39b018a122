"""Register writes: each changes its rows and appends the audit-log row in one
transaction; carry-outs and disposals move an asset's state machine.

Optimistic locking as in the ledger: the caller passes the version the person
started from; the row is locked (SQLite's transactions are IMMEDIATE,
PostgreSQL takes ``FOR UPDATE``) and a stale save raises ``Stale``. State
changes that the current state forbids raise ``Refused`` (shown as 409).
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import auditlog
from ..auth import roles as R
from ..auth.models import ManagedDepartment, User, UserRole
from ..db import database, is_sqlite, utcnow
from ..ledger import services as ledger_services
from ..ledger.models import LedgerEntry
from ..notifications.recipients import holders, managers_by_department
from ..notifications.services import notify
from ..timezone import today_local
from . import catalogue as C
from .models import (
    Asset,
    AssetEntry,
    CarryOut,
    Contractor,
    ContractorEntry,
    Disposal,
    ProvisionRecord,
    PurposeChange,
    RegisterDocument,
    SupervisionCheck,
    keep_until_minimum,
)


class Stale(Exception):
    """The record changed since the person loaded it."""

    def __init__(self, record):
        super().__init__('%s %s is at version %s' % (
            record._meta.table_name, record.id, record.version))
        self.record = record


class Refused(Exception):
    """A state change the record's state (or the separation of duties) forbids."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _locked(model, record_id):
    query = model.select().where(model.id == record_id)
    if not is_sqlite():
        query = query.for_update()
    return query.get()


def _lock_version(model, record, expected_version):
    fresh = _locked(model, record.id)
    if expected_version is not None and fresh.version != int(expected_version):
        raise Stale(fresh)
    return fresh


def _apply(record, data, names):
    """Set ``names`` from ``data``; return the names whose value changed."""
    changed = []
    for name in names:
        if name not in data:
            continue
        value = data[name]
        field = record._meta.fields[name]
        current = (getattr(record, field.name + '_id') if hasattr(field, 'rel_model')
                   else getattr(record, name))
        if hasattr(field, 'rel_model'):
            new = value.id if hasattr(value, 'id') else value
        else:
            new = value
        if current != new:
            setattr(record, name, value)
            changed.append(name)
    return changed


def _stamp(record, actor, created=False):
    now = utcnow()
    if created:
        record.created_at = now
        record.created_by = actor.id if actor else None
    record.updated_at = now
    record.updated_by = actor.id if actor else None


def _set_links(link_model, owner_field, owner, entry_ids):
    """Replace the owner's ledger links; return (added, removed) entry ids."""
    owner_column = getattr(link_model, owner_field)
    current = {row.entry_id for row in link_model.select(link_model.entry)
               .where(owner_column == owner.id)}
    wanted = set(entry_ids)
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if removed:
        link_model.delete().where((owner_column == owner.id)
                                  & link_model.entry.in_(removed)).execute()
    if added:
        link_model.insert_many([{owner_field: owner.id, 'entry': entry_id}
                                for entry_id in added]).execute()
    return added, removed


def _document(kind, upload, actor, contractor=None, signed_on=None, expires_on=None):
    data, media_type, filename = upload
    document = RegisterDocument(kind=kind, contractor=contractor, signed_on=signed_on,
                                expires_on=expires_on, filename=filename,
                                media_type=media_type, size=len(data), content=data,
                                uploaded_by=actor.id if actor else None, uploaded_at=utcnow())
    document.save(force_insert=True)
    auditlog.record('upload', document, actor=actor,
                    details={'kind': kind, 'bytes': len(data),
                             'contractor_id': contractor.id if contractor else None})
    return document


CONTRACTOR_FIELDS = ('name', 'services', 'contact', 'countries', 'foreign_measures',
                     'agreement_signed_on', 'agreement_expires_on', 'ended_on')


def _contractor_values(data):
    values = {name: data[name] for name in CONTRACTOR_FIELDS if name in data}
    if 'contact' in values:
        values['contact'] = (values['contact'] or '').strip() or None
    if 'countries' in values:
        values['countries'] = ','.join(sorted(set(values['countries']))) or 'JP'
    return values


def create_contractor(data, *, actor, upload=None):
    """Register a contractor with its agreement, first check due and entrusted entries."""
    with database.atomic():
        contractor = Contractor(next_check_due=data.get('next_check_due'))
        _apply(contractor, _contractor_values(data), CONTRACTOR_FIELDS)
        contractor.active = contractor.ended_on is None
        _stamp(contractor, actor, created=True)
        contractor.save(force_insert=True)
        added, _removed = _set_links(ContractorEntry, 'contractor', contractor,
                                     data.get('entry_ids', ()))
        auditlog.record('create', contractor, actor=actor, details={
            'reference': contractor.reference, 'entries': added,
            'fields': sorted(name for name in CONTRACTOR_FIELDS
                             if data.get(name) not in (None, '', []))})
        if upload is not None:
            _document('agreement', upload, actor, contractor=contractor,
                      signed_on=contractor.agreement_signed_on,
                      expires_on=contractor.agreement_expires_on)
    return contractor


def update_contractor(contractor, data, *, expected_version, actor, upload=None):
    """Save the contractor form; entries linked and unlinked are in the audit row."""
    with database.atomic():
        contractor = _lock_version(Contractor, contractor, expected_version)
        changed = _apply(contractor, _contractor_values(data), CONTRACTOR_FIELDS)
        contractor.active = contractor.ended_on is None
        added, removed = _set_links(ContractorEntry, 'contractor', contractor,
                                    data.get('entry_ids', ()))
        if changed or added or removed or upload is not None:
            contractor.version += 1
            _stamp(contractor, actor)
            contractor.save()
            auditlog.record('update', contractor, actor=actor, details={
                'reference': contractor.reference, 'version': contractor.version,
                'fields': changed, 'entries_added': added, 'entries_removed': removed})
        if upload is not None:
            _document('agreement', upload, actor, contractor=contractor,
                      signed_on=contractor.agreement_signed_on,
                      expires_on=contractor.agreement_expires_on)
    return contractor, bool(changed or added or removed or upload is not None)


def add_check(contractor, data, *, actor):
    """Record a supervision check; the contractor's next check follows the latest one."""
    with database.atomic():
        contractor = _locked(Contractor, contractor.id)
        if not contractor.active:
            raise Refused(_('The contract with %(name)s has ended; no further checks are '
                            'recorded.', name=contractor.name))
        check = SupervisionCheck.create(
            contractor=contractor.id, checked_on=data['checked_on'], method=data['method'],
            result=data['result'], note=data.get('note', ''), next_due=data['next_due'],
            checked_by=actor.id if actor else None, created_at=utcnow())
        latest = (SupervisionCheck.select().where(SupervisionCheck.contractor == contractor.id)
                  .order_by(SupervisionCheck.checked_on.desc(), SupervisionCheck.id.desc())
                  .first())
        Contractor.update(next_check_due=latest.next_due).where(
            Contractor.id == contractor.id).execute()
        auditlog.record('create', check, actor=actor, details={
            'contractor_id': contractor.id, 'result': check.result,
            'checked_on': check.checked_on, 'next_due': check.next_due})
    return check


def record_read(record, fields, view):
    """An audit row for showing decrypted fields (their names only)."""
    if fields:
        with database.atomic():
            auditlog.record('read', record, details={'fields': sorted(fields), 'view': view})


def record_download(document, actor):
    with database.atomic():
        auditlog.record('download', document, actor=actor, details={
            'fields': ['content'], 'kind': document.kind,
            'contractor_id': document.contractor_id})


PROVISION_FIELDS = ('entry', 'basis', 'recipient_name', 'recipient_address',
                    'recipient_representative', 'recipient_country', 'provided_on',
                    'provided_until', 'record_case', 'recorded_on', 'persons_description',
                    'items', 'person_count', 'consent_evidence', 'note', 'keep_until')


def _provision_values(data):
    values = dict(data)
    minimum = keep_until_minimum(values['record_case'], values['provided_on'],
                                 values.get('provided_until'), values['recorded_on'])
    keep = values.get('keep_until')
    if keep is None or keep < minimum:
        # The form refuses a shorter date; the service never keeps less than APPI asks.
        values['keep_until'] = minimum
    return values


def create_provision(data, *, actor):
    with database.atomic():
        record = ProvisionRecord()
        _apply(record, _provision_values(data), PROVISION_FIELDS)
        _stamp(record, actor, created=True)
        record.save(force_insert=True)
        auditlog.record('create', record, actor=actor, details={
            'reference': record.reference, 'entry_id': record.entry_id, 'basis': record.basis,
            'keep_until': record.keep_until})
    return record


def update_provision(record, data, *, expected_version, actor):
    with database.atomic():
        record = _lock_version(ProvisionRecord, record, expected_version)
        changed = _apply(record, _provision_values(data), PROVISION_FIELDS)
        if changed:
            record.version += 1
            _stamp(record, actor)
            record.save()
            auditlog.record('update', record, actor=actor, details={
                'reference': record.reference, 'version': record.version, 'fields': changed,
                'keep_until': record.keep_until})
    return record, bool(changed)


def delete_expired_provisions(today):
    """Delete the records kept past their keep-until date, one audit row each."""
    deleted = 0
    for record in list(ProvisionRecord.expired(today)):
        with database.atomic():
            fresh = ProvisionRecord.get_or_none(ProvisionRecord.id == record.id)
            if fresh is None or fresh.keep_until >= today:
                continue
            details = {'reference': fresh.reference, 'entry_id': fresh.entry_id,
                       'basis': fresh.basis, 'keep_until': fresh.keep_until,
                       'reason': 'retention period ended', 'run_for': today}
            fresh.delete_instance()
            auditlog.record('delete', object_type='provision_record', object_id=fresh.id,
                            details=details)
            deleted += 1
    return deleted


ASSET_FIELDS = ('tag', 'kind', 'description', 'department', 'location', 'custodian',
                'portable', 'encrypted', 'locked_storage', 'note')


def _asset_values(data):
    values = {name: data[name] for name in ASSET_FIELDS if name in data}
    kind = values.get('kind')
    if kind in C.PORTABLE_KINDS:
        values['portable'] = True
    if kind in C.UNENCRYPTABLE_KINDS:
        values['encrypted'] = False
    return values


def create_asset(data, *, actor):
    with database.atomic():
        asset = Asset(state='in_service')
        _apply(asset, _asset_values(data), ASSET_FIELDS)
        _stamp(asset, actor, created=True)
        asset.save(force_insert=True)
        added, _removed = _set_links(AssetEntry, 'asset', asset, data.get('entry_ids', ()))
        auditlog.record('create', asset, actor=actor, details={
            'tag': asset.tag, 'kind': asset.kind, 'department_id': asset.department_id,
            'encrypted': asset.encrypted, 'entries': added})
    return asset


def update_asset(asset, data, *, expected_version, actor):
    with database.atomic():
        asset = _lock_version(Asset, asset, expected_version)
        if asset.is_disposed:
            raise Refused(_('%(tag)s was disposed of; its record can no longer change.',
                            tag=asset.tag))
        changed = _apply(asset, _asset_values(data), ASSET_FIELDS)
        added, removed = _set_links(AssetEntry, 'asset', asset, data.get('entry_ids', ()))
        if changed or added or removed:
            asset.version += 1
            _stamp(asset, actor)
            asset.save()
            auditlog.record('update', asset, actor=actor, details={
                'tag': asset.tag, 'version': asset.version, 'fields': changed,
                'entries_added': added, 'entries_removed': removed})
    return asset, bool(changed or added or removed)


def _asset_for_change(asset_id):
    asset = _locked(Asset, asset_id)
    if asset.is_disposed:
        raise Refused(_('%(tag)s was disposed of: it cannot be carried out or disposed of '
                        'again.', tag=asset.tag))
    return asset


def _bump(asset, actor, state=None):
    if state is not None:
        asset.state = state
    asset.version += 1
    _stamp(asset, actor)
    asset.save()


def department_managers(department_id, exclude=()):
    """Active managers of a department (for approval notices)."""
    return list(User.select().join(ManagedDepartment, on=(ManagedDepartment.user == User.id))
                .where((ManagedDepartment.department == department_id)
                       & (User.active == True)  # noqa: E712
                       & User.id.in_(UserRole.select(UserRole.user)
                                     .where(UserRole.role == R.MANAGER))
                       & User.id.not_in(list(exclude) or [0])))


def approver_for(asset, requester_id):
    """Who decides on a request to carry ``asset`` out: 'committee' for an unencrypted
    portable medium (it needs the committee's exception) and when no manager of the
    department other than the requester is active; else 'manager'."""
    if asset.unencrypted_portable:
        return 'committee'
    if not department_managers(asset.department_id, exclude=[requester_id]):
        return 'committee'
    return 'manager'


def approvers_of(carry_out, department_id):
    """The people who may decide on the request (the requester never among them)."""
    if carry_out.approver == 'committee':
        return [u for u in holders(R.COMMITTEE) if u.id != carry_out.requested_by_id]
    return department_managers(department_id, exclude=[carry_out.requested_by_id])


def request_carry_out(asset, data, *, actor):
    """Record a request to take the asset out: by someone of its department for
    themselves, or by one of its managers for someone. Another manager of the
    department decides, or the committee (``approver_for``); an unencrypted portable
    medium needs the requester's reason for the committee's exception."""
    with database.atomic():
        asset = _asset_for_change(asset.id)
        if asset.state == 'out' or CarryOut.in_progress(asset.id):
            raise Refused(_('%(tag)s already has a carry-out in progress; record its return '
                            'or reject the request first.', tag=asset.tag))
        reason = (data.get('exception_reason') or '').strip()
        if asset.unencrypted_portable and not reason:
            raise Refused(_('%(tag)s is not encrypted: say why it must be carried out all '
                            'the same; the committee decides on the exception.',
                            tag=asset.tag))
        carry_out = CarryOut.create(
            asset=asset.id, requested_by=data['requested_by'], out_on=data['out_on'],
            expected_return_on=data['expected_return_on'], destination=data['destination'],
            purpose=data['purpose'], status='requested',
            approver=approver_for(asset, data['requested_by']),
            exception_reason=reason if asset.unencrypted_portable else '',
            recorded_by=actor.id if actor else None, recorded_at=utcnow())
        _bump(asset, actor)
        auditlog.record('carry_out_request', carry_out, actor=actor, details={
            'asset_id': asset.id, 'tag': asset.tag, 'requested_by': carry_out.requested_by_id,
            'out_on': carry_out.out_on, 'expected_return_on': carry_out.expected_return_on,
            'approver': carry_out.approver, 'exception': bool(carry_out.exception_reason)})
    _notify_approvers(asset, carry_out)
    return carry_out


def _asset_link(asset):
    return '/registers/assets/%d#registers-asset-status' % asset.id


def _notify_approvers(asset, carry_out):
    """One "awaits your approval" per carry-out and person, whoever decides (the key is
    the carry-out's: a person both manager and committee member, or told again after
    the request went to the committee, hears once)."""
    notify(approvers_of(carry_out, asset.department_id),
           'registers:carry-out:%d' % carry_out.id,
           _l('Carry-out of %(tag)s awaits your approval', tag=asset.tag),
           link=_asset_link(asset))


def _open_carry_out(asset_id, carry_out_id, status):
    carry_out = CarryOut.get_or_none((CarryOut.id == carry_out_id)
                                     & (CarryOut.asset == asset_id))
    statuses = status if isinstance(status, tuple) else (status,)
    if carry_out is None or carry_out.status not in statuses:
        raise Refused(_('This carry-out is no longer %(state)s; the page was out of date.',
                        state=C.label_of(C.CARRY_OUT_STATUSES, statuses[0]).lower()))
    return carry_out


def _go_out(asset, carry_out, actor, now):
    carry_out.status = 'out'
    carry_out.went_out_at = now
    _bump(asset, actor, state='out')


def decide_carry_out(asset, carry_out_id, *, approve, actor, note='', today=None):
    """Approve or reject a request. Approved for today or an earlier day, the asset is
    out at once; approved for a later day, it is 'approved' until the daily job moves
    it out on that day.

    A manager of the asset's department decides, or a committee member when the request
    went to the committee; never the requester (the separation the policy asks for).
    """
    today = today or today_local()
    with database.atomic():
        asset = _asset_for_change(asset.id)
        carry_out = _open_carry_out(asset.id, carry_out_id, 'requested')
        if carry_out.requested_by_id == actor.id:
            raise Refused(_('You requested this carry-out yourself: another manager of the '
                            'department or the committee must decide on it.'))
        if not carry_out.may_be_decided_by(actor, asset.department_id):
            if carry_out.approver == 'committee':
                raise Refused(_('This carry-out went to the Protection Committee: only a '
                                'committee member may decide on it.'))
            raise Refused(_('Only a personal-information manager of the asset\'s department '
                            'may decide on a carry-out.'))
        now = utcnow()
        carry_out.decided_by = actor.id
        carry_out.decided_at = now
        carry_out.decision_note = note or ''
        if not approve:
            carry_out.status = 'rejected'
            _bump(asset, actor)
        elif carry_out.out_on <= today:
            _go_out(asset, carry_out, actor, now)
        else:
            carry_out.status = 'approved'
            _bump(asset, actor)
        carry_out.save()
        auditlog.record('carry_out_approve' if approve else 'carry_out_reject', carry_out,
                        actor=actor, details={
                            'asset_id': asset.id, 'tag': asset.tag, 'status': carry_out.status,
                            'approver': carry_out.approver,
                            'exception': bool(approve and carry_out.exception_reason)})
    notify([User.get_by_id(carry_out.requested_by_id)],
           'registers:carry-out-decided:%d' % carry_out.id,
           _l('Your carry-out of %(tag)s was approved', tag=asset.tag) if approve
           else _l('Your carry-out of %(tag)s was rejected', tag=asset.tag),
           link='/registers/carry-outs/')
    return carry_out


def start_carry_outs(today):
    """The daily job: approved carry-outs whose day has come are out; the asset's state
    follows. Returns how many went out."""
    started = 0
    for pending in list(CarryOut.due_to_go_out(today)):
        with database.atomic():
            carry_out = CarryOut.get_or_none(CarryOut.id == pending.id)
            if carry_out is None or carry_out.status != 'approved' or carry_out.out_on > today:
                continue
            asset = _locked(Asset, carry_out.asset_id)
            _go_out(asset, carry_out, None, utcnow())
            carry_out.save()
            auditlog.record('carry_out_out', carry_out, details={
                'asset_id': asset.id, 'tag': asset.tag, 'out_on': carry_out.out_on,
                'run_for': today})
            started += 1
    return started


def reroute_without_manager():
    """The daily job: a request waiting for a manager whom none can decide on any more
    (the others left or lost the role) goes to the committee. Returns how many went."""
    moved = 0
    for waiting in list(CarryOut.waiting_for_managers()):
        asset = waiting.asset
        if department_managers(asset.department_id, exclude=[waiting.requested_by_id]):
            continue
        with database.atomic():
            updated = CarryOut.update(approver='committee').where(
                (CarryOut.id == waiting.id) & (CarryOut.status == 'requested')
                & (CarryOut.approver == 'manager')).execute()
            if not updated:
                continue
            waiting.approver = 'committee'
            auditlog.record('carry_out_reroute', waiting, details={
                'asset_id': asset.id, 'tag': asset.tag, 'approver': 'committee',
                'reason': 'no other active manager of the department'})
        _notify_approvers(asset, waiting)
        moved += 1
    return moved


def cancel_carry_out(asset, carry_out_id, *, actor):
    """The requester or a manager of the department cancels a carry-out before it goes
    out."""
    with database.atomic():
        asset = _asset_for_change(asset.id)
        carry_out = _open_carry_out(asset.id, carry_out_id, C.CANCELLABLE_CARRY_OUT)
        if not carry_out.may_be_cancelled_by(actor, asset.department_id):
            raise Refused(_('Only the requester or a manager of the department may cancel '
                            'this carry-out.'))
        previous = carry_out.status
        carry_out.status = 'cancelled'
        carry_out.cancelled_at = utcnow()
        carry_out.cancelled_by = actor.id
        carry_out.save()
        _bump(asset, actor)
        auditlog.record('carry_out_cancel', carry_out, actor=actor, details={
            'asset_id': asset.id, 'tag': asset.tag, 'was': previous})
    return carry_out


def record_return(asset, carry_out_id, data, *, actor):
    """The asset came back: it is in service again."""
    with database.atomic():
        asset = _asset_for_change(asset.id)
        carry_out = _open_carry_out(asset.id, carry_out_id, 'out')
        if data['returned_on'] < carry_out.out_on:
            raise Refused(_('The return cannot be before the carry-out on %(day)s.',
                            day=carry_out.out_on.isoformat()))
        carry_out.status = 'returned'
        carry_out.returned_on = data['returned_on']
        carry_out.return_note = data.get('note', '') or ''
        carry_out.return_recorded_by = actor.id
        carry_out.return_recorded_at = utcnow()
        carry_out.save()
        _bump(asset, actor, state='in_service')
        auditlog.record('carry_out_return', carry_out, actor=actor, details={
            'asset_id': asset.id, 'tag': asset.tag, 'returned_on': carry_out.returned_on})
    return carry_out


def dispose_asset(asset, data, *, actor, upload=None):
    """Record the disposal; the asset leaves service for good."""
    with database.atomic():
        asset = _asset_for_change(asset.id)
        if asset.state == 'out' or CarryOut.in_progress(asset.id):
            raise Refused(_('%(tag)s has a carry-out in progress: record its return (or reject '
                            'the request) before disposing of it.', tag=asset.tag))
        certificate = None
        if upload is not None:
            certificate = _document('certificate', upload, actor)
        disposal = Disposal.create(
            asset=asset.id, disposed_on=data['disposed_on'], method=data['method'],
            contractor=data.get('contractor'), performed_by=data['performed_by'],
            witness=data['witness'], certificate=certificate, note=data.get('note', '') or '',
            recorded_by=actor.id if actor else None, recorded_at=utcnow())
        _bump(asset, actor, state='disposed')
        auditlog.record('dispose', asset, actor=actor, details={
            'tag': asset.tag, 'disposal_id': disposal.id, 'method': disposal.method,
            'disposed_on': disposal.disposed_on, 'witness': disposal.witness_id,
            'certificate': certificate.id if certificate else None})
    return disposal


# What a notice's form sets: all of it while the notice waits for its date; once in
# effect, only how the persons were told and their refusals.
PURPOSE_FIELDS = ('new_purpose', 'notified_on', 'effective_on', 'channel', 'channel_detail',
                  'refusals_count', 'refusals_note')
PURPOSE_FIELDS_IN_EFFECT = ('channel', 'channel_detail', 'refusals_count', 'refusals_note')


def create_purpose_change(data, *, actor, today=None):
    """Record a notice for a ledger entry: its previous purposes are the entry's now. On
    its effective date the new purposes go into the entry (``apply_purpose_change``: at
    once when that day has come already). One notice at a time waits per entry."""
    today = today or today_local()
    with database.atomic():
        entry = _locked(LedgerEntry, data['entry'])
        waiting = PurposeChange.scheduled_for(entry.id)
        if waiting is not None:
            raise Refused(_('%(ref)s already changes the purposes of this entry on %(day)s: '
                            'withdraw it first, or record this notice once it is in effect.',
                            ref=waiting.reference, day=waiting.effective_on.isoformat()))
        notice = PurposeChange(entry=entry.id, previous_purpose=entry.purposes,
                               status='scheduled')
        _apply(notice, data, PURPOSE_FIELDS)
        _stamp(notice, actor, created=True)
        notice.save(force_insert=True)
        auditlog.record('create', notice, actor=actor, details={
            'reference': notice.reference, 'entry_id': notice.entry_id,
            'notified_on': notice.notified_on, 'effective_on': notice.effective_on,
            'channel': notice.channel, 'refusals_count': notice.refusals_count})
        if notice.effective_on <= today:
            _apply_notice(notice, actor, today)
    return notice


def update_purpose_change(notice, data, *, expected_version, actor, today=None):
    """Save the notice's form. A withdrawn notice no longer changes; one in effect keeps
    its purposes and dates (only the channel and the refusals change)."""
    today = today or today_local()
    with database.atomic():
        notice = _lock_version(PurposeChange, notice, expected_version)
        if notice.status == 'withdrawn':
            raise Refused(_('%(ref)s was withdrawn; it no longer changes.',
                            ref=notice.reference))
        names = PURPOSE_FIELDS if notice.is_scheduled else PURPOSE_FIELDS_IN_EFFECT
        changed = _apply(notice, data, names)
        if changed:
            notice.version += 1
            _stamp(notice, actor)
            notice.save()
            auditlog.record('update', notice, actor=actor, details={
                'reference': notice.reference, 'version': notice.version, 'fields': changed,
                'refusals_count': notice.refusals_count})
        if notice.is_scheduled and notice.effective_on <= today:
            _apply_notice(notice, actor, today)
    return notice, bool(changed)


def withdraw_purpose_change(notice, *, reason, actor):
    """Withdraw a notice before it takes effect: the entry keeps its purposes."""
    with database.atomic():
        notice = _locked(PurposeChange, notice.id)
        if not notice.is_scheduled:
            raise Refused(_('%(ref)s is %(state)s: only a notice waiting for its date can be '
                            'withdrawn.', ref=notice.reference,
                            state=str(notice.status_label).lower()))
        notice.status = 'withdrawn'
        notice.withdrawn_at = utcnow()
        notice.withdrawn_by = actor.id
        notice.withdrawal_reason = reason.strip()
        notice.version += 1
        _stamp(notice, actor)
        notice.save()
        auditlog.record('withdraw', notice, actor=actor, details={
            'reference': notice.reference, 'entry_id': notice.entry_id,
            'effective_on': notice.effective_on})
    return notice


def _apply_notice(notice, actor, today):
    """The new purposes go into the entry through the ledger's service (revision and audit
    row); the notice is in effect. In the caller's transaction."""
    entry, _changes = ledger_services.change_purposes(
        notice.entry_id, notice.new_purpose, actor=actor, notice=notice.reference)
    notice.status = 'applied'
    notice.applied_at = utcnow()
    notice.applied_version = entry.version
    notice.save()
    auditlog.record('apply', notice, actor=actor, details={
        'reference': notice.reference, 'entry_id': notice.entry_id,
        'entry_version': entry.version, 'effective_on': notice.effective_on,
        'run_for': today})
    return entry


def apply_due_purpose_changes(today):
    """The daily job: notices whose effective date has come change their entries'
    purposes (withdrawn ones never do). Returns (applied, skipped): a retired entry's
    notice waits (its page says so) until the entry is reinstated or it is withdrawn."""
    applied, skipped, told = 0, 0, []
    for due in list(PurposeChange.due(today)):
        try:
            with database.atomic():
                notice = _locked(PurposeChange, due.id)
                if not notice.is_scheduled or notice.effective_on > today:
                    continue
                entry = _apply_notice(notice, None, today)
        except ledger_services.RetiredEntry:
            skipped += 1
            continue
        applied += 1
        told.append((notice, entry))
    if told:
        managers = managers_by_department(entry.department_id for _n, entry in told)
        for notice, entry in told:
            notify(managers.get(entry.department_id, []),
                   'registers:purpose-applied:%d' % notice.id,
                   _l('The new purposes of %(entry)s took effect (%(ref)s)',
                      entry=entry.reference, ref=notice.reference),
                   link='/ledger/%d' % entry.id)
    return applied, skipped
