"""Requests for Disclosure in any state, made through the services as staff would."""
import datetime

from stintranet.disclosure import catalogue as C
from stintranet.disclosure import services
from stintranet.disclosure.seed import sample_pdf, sample_png
from stintranet.timezone import today_local
from tests import factories

CASE_DOCUMENTS = {
    C.IN_PERSON: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT),
    C.LEGAL_REPRESENTATIVE: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.RELATIONSHIP_DOCUMENT,
                             C.REPRESENTATIVE_ID),
    C.APPOINTED_AGENT: (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.POWER_OF_ATTORNEY,
                        C.SEAL_CERTIFICATE),
}
ALL_CHECKS = {'form_complete': True, 'address_matches': True,
              'relationship_document_checked': True, 'representative_id_checked': True,
              'power_of_attorney_checked': True, 'seal_certificate_checked': True}
STATES = ('received', 'verifying', 'in_progress', 'accepted', 'responded', 'refused',
          'refused_notified', 'completed', 'refused_completed')


def document(kind, marker=''):
    """(kind, data, mime, filename) of a small PDF or PNG for ``kind``."""
    if kind in (C.IDENTITY_DOCUMENT, C.REPRESENTATIVE_ID):
        data = sample_png(shade=len(marker) % 200 + 20)
        if marker:
            # Text chunks are ignored by viewers but make the bytes recognisable.
            import struct
            import zlib
            text = b'tEXt' + b'Comment\x00' + marker.encode()
            chunk = struct.pack('>I', len(text) - 4) + text + struct.pack(
                '>I', zlib.crc32(text) & 0xFFFFFFFF)
            data = data[:33] + chunk + data[33:]
        return kind, data, 'image/png', '%s.png' % kind
    return kind, sample_pdf('Scan %s %s' % (kind, marker)), 'application/pdf', '%s.pdf' % kind


def cc_user():
    from stintranet.auth.models import User, UserRole
    found = (User.select().join(UserRole, on=(UserRole.user == User.id))
             .where(UserRole.role == 'customer_center').first())
    return found or factories.make_user(roles=('employee', 'customer_center'), department='CC')


def make_request(state='received', proxy_kind=C.IN_PERSON, actor=None, received_on=None,
                 documents=None, marker='', requested_method=C.UNSPECIFIED,
                 completed_on=None, name='Hanako Yamada', language='en', **overrides):
    """A request moved to ``state`` (one of STATES) by Customer Center staff."""
    actor = actor or cc_user()
    today = today_local()
    received_on = received_on or today - datetime.timedelta(days=10)
    if documents is None:
        documents = [document(kind, marker) for kind in CASE_DOCUMENTS[proxy_kind]]
    fields = dict(
        received_on=received_on, mail_number='1234-5678-9012', types=[C.DISCLOSURE],
        requested_method=requested_method, requester_name=name,
        requester_address='1-2-3 Marunouchi, Chiyoda-ku, Tokyo', requester_phone='03-0000-0000',
        requester_email='hanako@example.com', proxy_kind=proxy_kind,
        # The suite reads its letters in English; the service's default is Japanese.
        language=language,
        proxy_name='Taro Yamada' if proxy_kind != C.IN_PERSON else None,
        proxy_relationship='Father' if proxy_kind != C.IN_PERSON else None,
        documents=documents)
    fields.update(overrides)
    req = services.create_request(actor, today=max(today, received_on), **fields)
    step = STATES.index(state)
    day = received_on
    if step >= 1:
        services.start_verification(req.id, actor, None)
    if state.startswith('refused'):
        services.refuse(req.id, actor, None, 'identity_not_confirmed',
                        'The address differs from the one we hold.', day, max(today, day))
        if state in ('refused_notified', 'refused_completed'):
            services.record_response(req.id, actor, None, C.PAPER, day, today=max(today, day))
        if state == 'refused_completed':
            services.complete(req.id, actor, None, completed_on or day, max(today, day))
        return reload(req)
    if step >= 2:
        services.update_checklist(req.id, actor, ALL_CHECKS, 'drivers_licence')
        services.confirm_identity(req.id, actor, None, day, max(today, day))
    if step >= 3:
        services.accept(req.id, actor, None, day, max(today, day))
    if step >= 4:
        services.record_response(req.id, actor, None, C.ELECTRONIC, day, today=max(today, day))
    if state == 'completed':
        services.complete(req.id, actor, None, completed_on or day,
                          max(today, completed_on or day))
    return reload(req)


def reload(req):
    from stintranet.disclosure.models import DisclosureRequest
    return DisclosureRequest.get_by_id(req.id)


def make_ledger_entry(title, status='active', department='SALES'):
    """A bare ledger entry to link (the ledger's own factories fill every field)."""
    from stintranet.ledger.models import LedgerEntry
    entry = LedgerEntry(department=factories.make_department(department), title=title,
                        status=status)
    entry.save()
    return entry
