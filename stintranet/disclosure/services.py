"""The request's state machine and every write: one transaction each, audit-logged.

States: received -> verifying -> in progress -> responded -> completed, or
refused (from received, verifying or in progress) -> completed. Each action
names the states it starts from and the roles allowed to take it; anything
else raises ``Conflict`` (409) or ``NotPermitted`` (403) with a message for
the person. Every write re-reads the request under the write lock and checks
the version the person saw, so a stale form never overwrites a newer change.
"""
import datetime
import hashlib
from collections import namedtuple

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import auditlog, legaldates, pdf
from ..crypto import DecryptionError
from ..db import database, is_sqlite, utcnow
from ..timezone import today_local
from . import catalogue as C
from . import checklist, envelope
from .models import (
    HANDLERS,
    DisclosureDestruction,
    DisclosureEvent,
    DisclosureLedgerLink,
    DisclosureLetterCopy,
    DisclosureProvisionPick,
    DisclosureRequest,
    LedgerEntry,
    ProvisionRecord,
    RequestDocument,
    linked_entry_ids,
)


class RequestError(Exception):
    """A write that cannot be done; ``message`` is meant for the person."""
    status = 409

    def __init__(self, message, field=None):
        super().__init__(message)
        self.message = message
        self.field = field


class Conflict(RequestError):
    """The request's state (or a newer change) forbids the action: 409."""


class NotPermitted(RequestError):
    """The person's roles do not allow the action: 403."""
    status = 403


class InvalidInput(RequestError):
    """A value the action cannot take: 422, shown on ``field``."""
    status = 422


Action = namedtuple('Action', 'sources roles label')

ALL_OPEN = (C.RECEIVED, C.VERIFYING, C.IN_PROGRESS)

# The state machine and the edits, with the states each starts from and who may act.
ACTIONS = {
    'start_verification': Action((C.RECEIVED,), HANDLERS, _l('start the identity check')),
    'confirm_identity': Action((C.VERIFYING,), HANDLERS, _l('confirm the identity')),
    'accept': Action((C.IN_PROGRESS,), HANDLERS, _l('accept the request')),
    'refuse': Action(ALL_OPEN, HANDLERS, _l('refuse the request')),
    'respond': Action((C.IN_PROGRESS, C.REFUSED), HANDLERS, _l('record the response')),
    'complete': Action((C.RESPONDED, C.REFUSED), HANDLERS, _l('complete the request')),
    # Identity details are fixed once verified: a change would need a new verification.
    'edit': Action((C.RECEIVED, C.VERIFYING), HANDLERS, _l('change the request')),
    'checklist': Action((C.RECEIVED, C.VERIFYING), HANDLERS, _l('change the checklist')),
    'upload': Action(ALL_OPEN + (C.RESPONDED, C.REFUSED), HANDLERS, _l('add a document')),
    'link': Action(ALL_OPEN, HANDLERS, _l('change the linked ledger entries')),
}

TRANSITION_TARGETS = {
    'start_verification': C.VERIFYING,
    'confirm_identity': C.IN_PROGRESS,
    'refuse': C.REFUSED,
    'complete': C.COMPLETED,
}



def destruction_method():
    """How destruction was done, for the destruction record."""
    if is_sqlite():
        return ('data key deleted (crypto-erasure); document rows deleted with secure delete '
                'and the WAL checkpointed; identity replaced by a marker')
    return ('data key deleted (crypto-erasure); document rows deleted; identity replaced by '
            'a marker')


def may(user, action, req):
    """Whether ``user`` may take ``action`` on ``req`` now (for showing the controls)."""
    spec = ACTIONS[action]
    if req.is_destroyed or req.status not in spec.sources or not user.has_role(*spec.roles):
        return False
    if action == 'accept':
        return req.decision != C.ACCEPTED
    if action == 'respond':
        return req.responded_on is None and (req.status == C.REFUSED
                                             or req.decision == C.ACCEPTED)
    if action == 'complete':
        return req.responded_on is not None
    return True


def _check_roles(user, action):
    if user is None or not user.has_role(*ACTIONS[action].roles):
        raise NotPermitted(_('Only Customer Center staff may %(action)s.',
                             action=ACTIONS[action].label))


def _load(request_id, action, actor, version):
    """The request under the write lock, checked for role, destruction, version and state."""
    query = DisclosureRequest.select().where(DisclosureRequest.id == request_id)
    if not is_sqlite():
        query = query.for_update()  # SQLite's IMMEDIATE transaction holds the lock already
    req = query.first()
    if req is None:
        raise LookupError(request_id)
    check(req, action, actor, version)
    return req


def check(req, action, actor, version=None):
    """Raise NotPermitted or Conflict when ``actor`` may not take ``action`` on ``req`` now.

    Views call it before validating a form, so a request that cannot change
    answers 409 whatever was typed; the services call it again under the lock.
    """
    _check_roles(actor, action)
    if req.is_destroyed:
        raise Conflict(_('The documents and the identity of request %(ref)s were destroyed '
                         'on %(date)s; the request can no longer change.',
                         ref=req.reference, date=req.destroyed_at.date().isoformat()))
    if version is not None and req.version != version:
        raise Conflict(_('Someone else changed request %(ref)s meanwhile. The page now shows '
                         'their change; check it and try again.', ref=req.reference))
    spec = ACTIONS[action]
    if req.status not in spec.sources:
        raise Conflict(_('A request that is "%(status)s" cannot be changed this way: you '
                         'cannot %(action)s now.', status=req.status_label,
                         action=spec.label))


def _save(req, actor, action, from_status=None, note=''):
    """Save the request with a new version and add its timeline entry."""
    req.version += 1
    req.updated_at = utcnow()
    req.save()
    DisclosureEvent.create(request=req, actor=actor, action=action,
                           from_status=from_status or req.status, to_status=req.status,
                           note=note[:200])


def _check_date(value, field, not_before=None, not_before_message=None, today=None):
    today = today or today_local()
    if value is None:
        raise InvalidInput(_('Enter the date.'), field)
    if value > today:
        raise InvalidInput(_('The date cannot be in the future.'), field)
    if not_before is not None and value < not_before:
        raise InvalidInput(not_before_message, field)


def _check_choices(types, requested_method, proxy_kind, language=C.JAPANESE):
    if not set(types or ()).intersection(C.TYPE_LABELS):
        raise InvalidInput(_('Choose at least one kind of request.'), 'types')
    if requested_method not in C.REQUESTED_METHOD_LABELS:
        raise InvalidInput(_('Choose the response method asked for.'), 'requested_method')
    if proxy_kind not in C.PROXY_LABELS:
        raise InvalidInput(_('Choose who made the request.'), 'proxy_kind')
    if language not in C.LANGUAGE_LABELS:
        raise InvalidInput(_("Choose the requester's language."), 'language')


def _clean(value):
    value = (value or '').strip()
    return value or None


def due_date(received_on):
    return received_on + datetime.timedelta(days=current_app.config['DISCLOSURE_DUE_DAYS'])


def create_request(actor, *, received_on, mail_number, types, requested_method,
                   requester_name, requester_address, requester_phone=None,
                   requester_email=None, proxy_kind=C.IN_PERSON, proxy_name=None,
                   proxy_relationship=None, concerns_minor=False, language=C.JAPANESE,
                   documents=(), today=None):
    """Record a request received by mail with its scanned documents.

    ``documents`` is a list of (kind, data, mime, filename) already checked by
    ``uploads.read_upload``.
    """
    _check_roles(actor, 'edit')
    today = today or today_local()
    _check_date(received_on, 'received_on', today=today)
    _check_choices(types, requested_method, proxy_kind, language)
    kinds = {kind for kind, *_rest in documents}
    if C.APPLICATION_FORM not in kinds:
        raise InvalidInput(str(checklist.MISSING_APPLICATION_FORM), 'doc_application_form')
    proxy_docs = checklist.proxy_documents(proxy_kind)
    if proxy_docs and not kinds.intersection(proxy_docs):
        raise InvalidInput(str(checklist.proxy_documents_message(proxy_kind)), 'proxy_kind')
    if proxy_docs and not (_clean(proxy_name) and _clean(proxy_relationship)):
        raise InvalidInput(_("Enter the proxy's name and relationship."), 'proxy_name')
    with database.atomic():
        req = DisclosureRequest(
            received_on=received_on, mail_number=mail_number.strip(),
            types=','.join(code for code, _label in C.TYPES if code in set(types)),
            requested_method=requested_method,
            requester_name=requester_name.strip(), requester_address=requester_address.strip(),
            requester_phone=_clean(requester_phone), requester_email=_clean(requester_email),
            proxy_kind=proxy_kind,
            proxy_name=_clean(proxy_name) if proxy_docs else None,
            proxy_relationship=_clean(proxy_relationship) if proxy_docs else None,
            concerns_minor=bool(concerns_minor), language=language,
            due_on=due_date(received_on),
            data_key=envelope.new_data_key(),
            created_by=actor)
        req.save()
        DisclosureEvent.create(request=req, actor=actor, action='create', to_status=req.status)
        auditlog.record('create', req, actor=actor, details={
            'types': req.type_codes, 'proxy_kind': proxy_kind, 'documents': len(documents),
            'concerns_minor': req.concerns_minor})
        for kind, data, mime, filename in documents:
            _add_document(req, kind, data, mime, filename, actor)
    return req


EDITABLE = ('received_on', 'mail_number', 'types', 'requested_method', 'language',
            'requester_name',
            'requester_address', 'requester_phone', 'requester_email', 'proxy_kind',
            'proxy_name', 'proxy_relationship', 'concerns_minor')


def update_details(request_id, actor, version, values, today=None):
    """Correct what was recorded at intake; the audit log names the changed fields."""
    today = today or today_local()
    _check_date(values.get('received_on'), 'received_on', today=today)
    proxy_kind = values.get('proxy_kind', C.IN_PERSON)
    _check_choices(values.get('types'), values.get('requested_method'), proxy_kind,
                   values.get('language', C.JAPANESE))
    is_proxy = bool(checklist.proxy_documents(proxy_kind))
    if is_proxy and not (_clean(values.get('proxy_name'))
                         and _clean(values.get('proxy_relationship'))):
        raise InvalidInput(_("Enter the proxy's name and relationship."), 'proxy_name')
    with database.atomic():
        req = _load(request_id, 'edit', actor, version)
        proxy_docs = checklist.proxy_documents(proxy_kind)
        if (proxy_kind != req.proxy_kind and proxy_docs
                and not set(RequestDocument.kinds_for(req.id)).intersection(proxy_docs)):
            raise InvalidInput(_('A request by proxy needs the proxy documents (%(docs)s): add '
                                 'them under Documents first.', docs=', '.join(
                                     str(C.DOCUMENT_LABELS[k]) for k in proxy_docs)),
                               'proxy_kind')
        cleaned = {
            'received_on': values['received_on'],
            'mail_number': values['mail_number'].strip(),
            'types': ','.join(code for code, _label in C.TYPES
                              if code in set(values.get('types') or ())),
            'requested_method': values['requested_method'],
            'language': values.get('language', C.JAPANESE),
            'requester_name': values['requester_name'].strip(),
            'requester_address': values['requester_address'].strip(),
            'requester_phone': _clean(values.get('requester_phone')),
            'requester_email': _clean(values.get('requester_email')),
            'proxy_kind': proxy_kind,
            'proxy_name': _clean(values.get('proxy_name')) if is_proxy else None,
            'proxy_relationship': _clean(values.get('proxy_relationship')) if is_proxy else None,
            'concerns_minor': bool(values.get('concerns_minor')),
        }
        changed = [name for name in EDITABLE if getattr(req, name) != cleaned[name]]
        if not changed:
            return req
        for name in changed:
            setattr(req, name, cleaned[name])
        if 'received_on' in changed:
            req.due_on = due_date(req.received_on)
        if 'proxy_kind' in changed or 'concerns_minor' in changed:
            # The other case's ticks say nothing about this one.
            applicable = dict(checklist.applicable_checks(proxy_kind, req.concerns_minor))
            for name in checklist.CHECK_FIELDS:
                if name not in applicable:
                    setattr(req, name, False)
        _save(req, actor, 'edit')
        auditlog.record('update', req, actor=actor, details={'fields': changed})
    return req


def update_checklist(request_id, actor, values, id_document_type):
    """Tick the identity checks that apply to the request's proxy case."""
    with database.atomic():
        req = _load(request_id, 'checklist', actor, None)
        if id_document_type not in C.ID_DOCUMENT_LABELS and id_document_type != '':
            raise InvalidInput(_('Choose the type of identity document.'), 'id_document_type')
        applicable = dict(checklist.applicable_checks(req.proxy_kind, req.concerns_minor))
        changed = []
        for name in checklist.CHECK_FIELDS:
            value = bool(values.get(name)) if name in applicable else False
            if getattr(req, name) != value:
                setattr(req, name, value)
                changed.append(name)
        if req.id_document_type != id_document_type:
            req.id_document_type = id_document_type
            changed.append('id_document_type')
        if changed:
            # The checklist does not bump the version: the other forms on the page stay valid.
            req.updated_at = utcnow()
            req.save()
            auditlog.record('checklist', req, actor=actor, details={'fields': changed})
    return req


def _add_document(req, kind, data, mime, filename, actor):
    doc = RequestDocument.create(request=req, kind=kind, mime=mime, size=len(data),
                                 filename=b'', content=b'', uploaded_by=actor)
    key = req.data_key
    doc.filename = envelope.seal(key, filename.encode('utf-8'),
                                 envelope.document_aad(req.id, doc.id, 'filename'))
    doc.content = envelope.seal(key, data, envelope.document_aad(req.id, doc.id, 'content'))
    doc.save()
    auditlog.record('upload', doc, actor=actor, details={
        'request': req.id, 'kind': kind, 'mime': mime, 'size': len(data)})
    return doc


def add_document(request_id, actor, kind, data, mime, filename):
    """Store one more scanned document, sealed with the request's data key."""
    if kind not in C.DOCUMENT_LABELS:
        raise InvalidInput(_('Choose what the document is.'), 'kind')
    with database.atomic():
        req = _load(request_id, 'upload', actor, None)
        doc = _add_document(req, kind, data, mime, filename, actor)
        DisclosureEvent.create(request=req, actor=actor, action='upload',
                               from_status=req.status, to_status=req.status,
                               note=str(C.DOCUMENT_LABELS[kind])[:200])
    return doc


def link_entry(request_id, actor, entry_id):
    """Link a ledger entry searched for the request (linking twice changes nothing)."""
    with database.atomic():
        req = _load(request_id, 'link', actor, None)
        entry = LedgerEntry.select(LedgerEntry.id, LedgerEntry.status).where(
            LedgerEntry.id == entry_id).first()
        if entry is None or entry.status == 'draft':
            raise InvalidInput(_('Choose a ledger entry from the search results.'), 'entry')
        link, created = DisclosureLedgerLink.get_or_create(
            request=req, entry=entry_id, defaults={'linked_by': actor})
        if created:
            auditlog.record('link', req, actor=actor, details={'ledger_entry': entry_id})
    return link


def unlink_entry(request_id, actor, entry_id):
    with database.atomic():
        req = _load(request_id, 'link', actor, None)
        link = DisclosureLedgerLink.get_or_none((DisclosureLedgerLink.request == req.id)
                                                & (DisclosureLedgerLink.entry == entry_id))
        if link is not None:
            link.delete_instance()
            auditlog.record('unlink', req, actor=actor, details={'ledger_entry': entry_id})
    return link


def _move(req, actor, action, note=''):
    before = req.status
    req.status = TRANSITION_TARGETS.get(action, req.status)
    _save(req, actor, action, from_status=before, note=note)
    auditlog.record(action, req, actor=actor, details={'from': before, 'to': req.status})


def start_verification(request_id, actor, version):
    """received -> verifying."""
    with database.atomic():
        req = _load(request_id, 'start_verification', actor, version)
        _move(req, actor, 'start_verification')
    return req


def open_items(req):
    return checklist.open_items(req.proxy_kind, req.ticked(), req.id_document_type,
                                RequestDocument.kinds_for(req.id), req.concerns_minor)


def confirm_identity(request_id, actor, version, verified_on, today=None):
    """verifying -> in progress, once every checklist line for the case is done."""
    with database.atomic():
        req = _load(request_id, 'confirm_identity', actor, version)
        _check_date(verified_on, 'verified_on', req.received_on, _(
            'The identity cannot be verified before the request was received (%(date)s).',
            date=req.received_on.isoformat()), today)
        missing = open_items(req)
        if missing:
            raise Conflict(_('The identity cannot be confirmed yet. Still open: %(items)s.',
                             items='; '.join(str(item.label) for item in missing)))
        req.verified_on = verified_on
        _move(req, actor, 'confirm_identity')
    return req


def accept(request_id, actor, version, decided_on, today=None):
    """Record the decision to comply (the request stays in progress until answered)."""
    with database.atomic():
        req = _load(request_id, 'accept', actor, version)
        if req.decision == C.ACCEPTED:
            raise Conflict(_('Request %(ref)s was accepted already.', ref=req.reference))
        _check_date(decided_on, 'decided_on', req.verified_on or req.received_on, _(
            'The decision cannot precede the identity verification (%(date)s).',
            date=(req.verified_on or req.received_on).isoformat()), today)
        req.decision = C.ACCEPTED
        req.refusal_reason = ''
        req.explanation = None
        req.decided_on = decided_on
        _move(req, actor, 'accept')
    return req


def refuse(request_id, actor, version, reason, explanation, decided_on, today=None):
    """Refuse for one of the policy's five reasons; the reason and explanation are kept."""
    if reason not in C.REFUSAL_LABELS:
        raise InvalidInput(_('Choose the reason notified to the requester.'), 'refusal_reason')
    if not _clean(explanation):
        raise InvalidInput(_('Explain the refusal to the requester.'), 'explanation')
    with database.atomic():
        req = _load(request_id, 'refuse', actor, version)
        _check_date(decided_on, 'decided_on', req.received_on, _(
            'The decision cannot precede the receipt of the request (%(date)s).',
            date=req.received_on.isoformat()), today)
        req.decision = C.REFUSAL
        req.refusal_reason = reason
        req.explanation = explanation.strip()
        req.decided_on = decided_on
        _move(req, actor, 'refuse', note=reason)
    return req


def record_response(request_id, actor, version, method, responded_on, paper_reason=None,
                    today=None):
    """Record how and when the answer (or the refusal notice) was sent."""
    if method not in C.RESPONSE_METHOD_LABELS:
        raise InvalidInput(_('Choose how the response was sent.'), 'response_method')
    with database.atomic():
        req = _load(request_id, 'respond', actor, version)
        if req.responded_on is not None:
            raise Conflict(_('The response to request %(ref)s was recorded already.',
                             ref=req.reference))
        if req.status == C.IN_PROGRESS and req.decision != C.ACCEPTED:
            raise Conflict(_('Decide first: accept or refuse the request before recording '
                             'the response.'))
        _check_date(responded_on, 'responded_on', req.received_on, _(
            'A response cannot be sent before the request was received (%(date)s).',
            date=req.received_on.isoformat()), today)
        if req.decided_on and responded_on < req.decided_on:
            raise InvalidInput(_('The response cannot be sent before the decision '
                                 '(%(date)s).', date=req.decided_on.isoformat()),
                               'responded_on')
        reason = _clean(paper_reason)
        if (method == C.PAPER and req.requested_method == C.ELECTRONIC and not reason):
            raise InvalidInput(_('The requester asked for an electronic record: give the '
                                 'reason for answering on paper instead (it is notified to '
                                 'the requester).'), 'paper_reason')
        req.response_method = method
        req.paper_reason = reason if method == C.PAPER else None
        req.responded_on = responded_on
        before = req.status
        if req.status == C.IN_PROGRESS:
            req.status = C.RESPONDED
        _save(req, actor, 'respond', from_status=before, note=method)
        auditlog.record('respond', req, actor=actor, details={
            'from': before, 'to': req.status, 'method': method})
    return req


def complete(request_id, actor, version, completed_on, today=None):
    """responded or refused -> completed; the documents are kept for the keeping period
    (``legaldates.disclosure_documents_kept_until``) and destroyed the day after it."""
    with database.atomic():
        req = _load(request_id, 'complete', actor, version)
        if req.status == C.REFUSED and not req.refusal_reason:
            raise Conflict(_('A refused request cannot be completed without the reason '
                             'notified.'))
        if req.responded_on is None:
            raise Conflict(_('Record when the response or the refusal notice was sent '
                             'before completing the request.'))
        _check_date(completed_on, 'completed_on', req.responded_on, _(
            'The request cannot be completed before the response was sent (%(date)s).',
            date=req.responded_on.isoformat()), today)
        req.completed_on = completed_on
        kept = legaldates.disclosure_documents_kept_until(
            completed_on, current_app.config['DISCLOSURE_RETENTION_MONTHS'])
        req.destroy_after = kept.deadline
        _move(req, actor, 'complete', note='documents kept until %s' % kept.deadline.isoformat())
    return req


def record_read(req, fields, actor):
    """Log that ``actor`` was shown the encrypted ``fields`` of ``req`` (names only)."""
    if fields:
        with database.atomic():
            auditlog.record('read', req, actor=actor, details={'fields': sorted(fields)})


def keep_letter(req, actor, rendered, name, locale):
    """Keep the PDF of a letter made for the requester, sealed with the request's data key,
    and log the making (an 'export' row): the office can show later what was sent."""
    with database.atomic():
        copy = DisclosureLetterCopy.create(
            request=req.id, kind=req.decision, locale=str(locale)[:8],
            file_name=name.name[:200], pages=rendered.pages, size=len(rendered.data),
            sha256=hashlib.sha256(rendered.data).hexdigest(), content=b'', made_by=actor,
            made_at=utcnow())
        copy.content = envelope.seal(req.data_key, rendered.data,
                                     envelope.letter_copy_aad(req.id, copy.id))
        copy.save()
        pdf.log('disclosure_letter', rendered, name, obj=req, locale=locale,
                details={'letter': req.decision, 'copy': copy.id})
    return copy


def read_letter_copy(req, copy_id, actor):
    """(the copy, its PDF) of a letter kept with ``req``, the read audit-logged; None when
    there is no such copy (or the documents were destroyed)."""
    copy = DisclosureLetterCopy.get_or_none((DisclosureLetterCopy.id == copy_id)
                                            & (DisclosureLetterCopy.request == req.id))
    if copy is None or req.data_key is None:
        return None
    data = copy.open_content(req.data_key)
    with database.atomic():
        auditlog.record('read', copy, actor=actor, details={
            'request': req.id, 'letter': copy.kind, 'fields': ['content']})
    return copy, data


def read_document(req, document_id, actor):
    """(content, filename, mime) of one document, the read audit-logged."""
    doc = RequestDocument.get_or_none((RequestDocument.id == document_id)
                                      & (RequestDocument.request == req.id))
    if doc is None or req.data_key is None:
        return None
    try:
        content = doc.open_content(req.data_key)
        filename = doc.open_filename(req.data_key)
    except DecryptionError:
        current_app.logger.error('disclosure document %s does not open', doc.id)
        raise
    with database.atomic():
        auditlog.record('read', doc, actor=actor, details={
            'request': req.id, 'kind': doc.kind, 'fields': ['content', 'filename']})
    return content, filename, doc.mime


def destroy(request_id, today):
    """Destroy a completed request's documents, the kept copies of its letters and its
    data key, and redact its identity.

    Irreversible; does nothing (returns None) when the request is not yet due or
    was destroyed already, so the daily job may run any number of times.
    """
    with database.atomic():
        query = DisclosureRequest.select().where(DisclosureRequest.id == request_id)
        if not is_sqlite():
            query = query.for_update()
        req = query.first()
        if (req is None or req.is_destroyed or req.status != C.COMPLETED
                or req.destroy_after is None or not today > req.destroy_after):
            return None
        docs = list(RequestDocument.select(RequestDocument.id, RequestDocument.kind,
                                           RequestDocument.size)
                    .where(RequestDocument.request == req.id))
        counts = {}
        for doc in docs:
            counts[doc.kind] = counts.get(doc.kind, 0) + 1
        RequestDocument.delete().where(RequestDocument.request == req.id).execute()
        copies = (DisclosureLetterCopy.delete()
                  .where(DisclosureLetterCopy.request == req.id).execute())
        redacted = []
        for name in DisclosureRequest.IDENTITY_FIELDS:
            if req.__data__.get(name) is not None:
                setattr(req, name, C.REDACTED)
                redacted.append(name)
        req.data_key = None
        req.destroyed_at = utcnow()
        kinds = ';'.join('%s=%d' % (kind, counts[kind])
                         for kind, _label in C.DOCUMENT_KINDS if kind in counts)
        record = DisclosureDestruction.create(
            request=req, destroyed_at=req.destroyed_at, run_date=today,
            destroy_after=req.destroy_after, document_count=len(docs),
            total_bytes=sum(doc.size for doc in docs), kinds=kinds,
            fields_redacted=','.join(redacted), method=destruction_method(),
            letter_copies=copies)
        _save(req, None, 'destroy', note='%d documents' % len(docs))
        auditlog.record('destroy', req, actor=None, details={
            'documents': len(docs), 'bytes': record.total_bytes, 'kinds': counts,
            'fields_redacted': redacted, 'data_key': 'deleted', 'letter_copies': copies,
            'destroy_after': req.destroy_after.isoformat(), 'run_date': today.isoformat()})
    return record


def destroy_due(today):
    """Destroy every request past its keeping period; return what was done."""
    destroyed = documents = 0
    for request_id in DisclosureRequest.due_for_destruction(today):
        record = destroy(request_id, today)
        if record is not None:
            destroyed += 1
            documents += record.document_count
    if destroyed and is_sqlite():
        # Old page images in the WAL still hold the ciphertext: fold them into the
        # database file (where secure_delete has zeroed them) and empty the WAL.
        busy = database.execute_sql('PRAGMA wal_checkpoint(TRUNCATE)').fetchone()[0]
        if busy:
            current_app.logger.warning('WAL checkpoint after destruction was blocked by a '
                                       'reader; the next checkpoint completes it')
    return '%d requests destroyed (%d documents)' % (destroyed, documents)


def pick_provision(request_id, actor, record_id, picked=True):
    """Mark a provision record of a linked entry as concerning the requester (or no
    longer); while the request is open, by the Customer Center. Audit-logged."""
    with database.atomic():
        req = _load(request_id, 'link', actor, None)
        record = (ProvisionRecord.select(ProvisionRecord.id)
                  .where((ProvisionRecord.id == record_id)
                         & ProvisionRecord.entry.in_(linked_entry_ids(req.id))).first())
        if record is None:
            raise InvalidInput(_('Choose a provision record of a linked ledger entry.'),
                               'record')
        pick = DisclosureProvisionPick.get_or_none(
            (DisclosureProvisionPick.request == req.id)
            & (DisclosureProvisionPick.record == record.id))
        if picked and pick is None:
            DisclosureProvisionPick.create(request=req.id, record=record.id,
                                           picked_by=actor.id, picked_at=utcnow())
            auditlog.record('pick', req, actor=actor, details={'provision_record': record.id})
        elif not picked and pick is not None:
            pick.delete_instance()
            auditlog.record('unpick', req, actor=actor, details={'provision_record': record.id})


def record_answer_read(req, actor, view, entry_ids=(), record_ids=()):
    """Log that ``actor`` read the linked entries' purposes or provision records on the
    request's page (what was shown, by id)."""
    with database.atomic():
        auditlog.record('read', req, actor=actor, details={
            'view': view, 'ledger_entries': sorted(set(entry_ids)),
            'provision_records': sorted(set(record_ids))})
