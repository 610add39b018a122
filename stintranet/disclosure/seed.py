"""Demo requests in every state, one refused, and one completed more than six months ago
whose documents the first ``jobs run`` destroys."""
import datetime
import struct
import zlib

from .. import seed
from ..timezone import today_local
from . import catalogue as C
from . import services
from .models import DisclosureRequest, LedgerEntry


def sample_pdf(title):
    """A one-page PDF saying ``title`` (a stand-in for a scanned letter)."""
    text = title.replace('\\', '').replace('(', '').replace(')', '')
    stream = ('BT /F1 14 Tf 72 720 Td (%s) Tj ET' % text).encode('latin-1', 'replace')
    objects = [
        b'<< /Type /Catalog /Pages 2 0 R >>',
        b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R '
        b'/Resources << /Font << /F1 5 0 R >> >> >>',
        b'<< /Length %d >>\nstream\n' % len(stream) + stream + b'\nendstream',
        b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ]
    out = bytearray(b'%PDF-1.4\n')
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b'%d 0 obj\n' % number + body + b'\nendobj\n'
    xref = len(out)
    out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(objects) + 1)
    out += b''.join(b'%010d 00000 n \n' % offset for offset in offsets)
    out += b'trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' % (
        len(objects) + 1, xref)
    return bytes(out)


def sample_png(width=48, height=32, shade=180):
    """A small grey PNG (a stand-in for a photographed identity document)."""
    def chunk(kind, data):
        return (struct.pack('>I', len(data)) + kind + data
                + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b''.join(b'\x00' + bytes([shade, shade, 200]) * width for _row in range(height))
    return (b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(rows)) + chunk(b'IEND', b''))


def _documents(kinds):
    found = []
    for kind in kinds:
        if kind in (C.IDENTITY_DOCUMENT, C.REPRESENTATIVE_ID):
            found.append((kind, sample_png(), 'image/png', '%s.png' % kind))
        else:
            found.append((kind, sample_pdf('Sample scan: %s' % kind), 'application/pdf',
                          '%s.pdf' % kind))
    return found


BASIC = (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT)
LEGAL = BASIC + (C.RELATIONSHIP_DOCUMENT, C.REPRESENTATIVE_ID)
AGENT = BASIC + (C.POWER_OF_ATTORNEY, C.SEAL_CERTIFICATE)
ALL_CHECKS = {'form_complete': True, 'address_matches': True,
              'relationship_document_checked': True, 'representative_id_checked': True,
              'power_of_attorney_checked': True, 'seal_certificate_checked': True}


def _create(cc, today, days_ago, number, types, name, address, documents,
            proxy_kind=C.IN_PERSON, proxy_name=None, proxy_relationship=None,
            requested_method=C.UNSPECIFIED, phone=None, email=None, language=C.JAPANESE):
    return services.create_request(
        cc, received_on=today - datetime.timedelta(days=days_ago), mail_number=number,
        types=types, requested_method=requested_method, requester_name=name,
        requester_address=address, requester_phone=phone, requester_email=email,
        proxy_kind=proxy_kind, proxy_name=proxy_name, proxy_relationship=proxy_relationship,
        language=language, documents=_documents(documents), today=today)


def _verify(req, cc, today, days_ago, id_type='drivers_licence'):
    services.start_verification(req.id, cc, None)
    services.update_checklist(req.id, cc, ALL_CHECKS, id_type)
    return services.confirm_identity(req.id, cc, None,
                                     today - datetime.timedelta(days=days_ago), today)


def _day(today, days_ago):
    return today - datetime.timedelta(days=days_ago)


@seed.register(400)
def seed_requests(context):
    cc = context['users']['cc']
    today = today_local()
    entries = list(LedgerEntry.select(LedgerEntry.id).where(LedgerEntry.status == 'active')
                   .order_by(LedgerEntry.id).limit(2))

    # Just received, in person.
    _create(cc, today, 1, '1101-2233-4455', [C.DISCLOSURE], 'Hanako Yamada',
            '1-2-3 Marunouchi, Chiyoda-ku, Tokyo 100-0005', BASIC,
            requested_method=C.ELECTRONIC, email='hanako.yamada@example.com')

    # A legal representative of a minor; the representative's own ID is still missing.
    minor = _create(cc, today, 4, '1101-2233-4466', [C.DISCLOSURE, C.THIRD_PARTY_RECORDS],
                    'Sota Inoue', '4-5-6 Umeda, Kita-ku, Osaka 530-0001',
                    (C.APPLICATION_FORM, C.IDENTITY_DOCUMENT, C.RELATIONSHIP_DOCUMENT),
                    proxy_kind=C.LEGAL_REPRESENTATIVE, proxy_name='Mika Inoue',
                    proxy_relationship='Mother (legal representative of a minor)')
    services.start_verification(minor.id, cc, None)
    services.update_checklist(minor.id, cc, {'form_complete': True,
                                             'relationship_document_checked': True},
                              'passport')

    # Overdue: received three weeks ago and still being verified.
    late = _create(cc, today, 20, '1101-2233-4477', [C.SUSPENSION], 'Kenta Mori',
                   '7-8-9 Sakae, Naka-ku, Nagoya 460-0008', BASIC, phone='052-000-1234')
    services.start_verification(late.id, cc, None)

    # A privately appointed agent; identity confirmed, accepted, ledger entries searched.
    agent = _create(cc, today, 9, '1101-2233-4488', [C.DISCLOSURE, C.CORRECTION],
                    '藤田 由紀', '〒810-0001\n福岡県福岡市中央区天神2-1', AGENT,
                    proxy_kind=C.APPOINTED_AGENT, proxy_name='弁護士 石川 亮',
                    proxy_relationship='ご本人から委任を受けた弁護士',
                    requested_method=C.PAPER)
    _verify(agent, cc, today, 6)
    for entry in entries:
        services.link_entry(agent.id, cc, entry.id)
    services.accept(agent.id, cc, None, _day(today, 5), today)

    # Answered by electronic record three days ago; the requester wrote in English.
    answered = _create(cc, today, 13, '1101-2233-4499', [C.PURPOSE_NOTIFICATION],
                       'Aoi Shimizu', '3-3 Kotodai, Aoba-ku, Sendai 980-0803', BASIC,
                       requested_method=C.ELECTRONIC, email='aoi.shimizu@example.com',
                       language='en')
    _verify(answered, cc, today, 11, 'passport')
    services.accept(answered.id, cc, None, _day(today, 10), today)
    services.record_response(answered.id, cc, None, C.ELECTRONIC, _day(today, 3), today=today)

    # Refused: the address on the licence differs from the registered one.
    refused = _create(cc, today, 12, '1101-2233-4500', [C.DISCLOSURE], '近藤 大輝',
                      '〒220-0012\n神奈川県横浜市西区みなとみらい5-5', BASIC)
    services.start_verification(refused.id, cc, None)
    services.update_checklist(refused.id, cc, {'form_complete': True}, 'drivers_licence')
    services.refuse(refused.id, cc, None, 'identity_not_confirmed',
                    'ご提出いただいた本人確認書類に記載のご住所が、当社に登録されているご住所と'
                    '異なっていたため、ご本人からのご請求であることを確認できませんでした。'
                    '現在のご住所が記載された本人確認書類を添えて、改めてご請求ください。',
                    _day(today, 8), today)
    services.record_response(refused.id, cc, None, C.PAPER, _day(today, 7), today=today)

    # Completed last month: documents kept until five months from now.
    recent = _create(cc, today, 50, '1101-2233-4511', [C.THIRD_PARTY_SUSPENSION],
                     'Naomi Ogawa', '6-1 Kita 3-jo, Chuo-ku, Sapporo 060-0003', BASIC)
    _verify(recent, cc, today, 46)
    services.accept(recent.id, cc, None, _day(today, 45), today)
    services.record_response(recent.id, cc, None, C.PAPER, _day(today, 40), today=today)
    services.complete(recent.id, cc, None, _day(today, 31), today)

    # Completed over seven months ago: the first daily job destroys its documents.
    old_completion = today - datetime.timedelta(days=7 * 31)
    received = old_completion - datetime.timedelta(days=12)
    old = services.create_request(
        cc, received_on=received, mail_number='1101-2233-4522', types=[C.DISCLOSURE],
        requested_method=C.PAPER, requester_name='Takumi Hayashi',
        requester_address='8-2 Honcho, Aoi-ku, Shizuoka 420-0852',
        requester_phone='054-000-9876', proxy_kind=C.IN_PERSON, documents=_documents(BASIC),
        today=today)
    services.start_verification(old.id, cc, None)
    services.update_checklist(old.id, cc, ALL_CHECKS, 'drivers_licence')
    services.confirm_identity(old.id, cc, None, received + datetime.timedelta(days=2), today)
    services.accept(old.id, cc, None, received + datetime.timedelta(days=3), today)
    services.record_response(old.id, cc, None, C.PAPER, received + datetime.timedelta(days=8),
                             today=today)
    services.complete(old.id, cc, None, old_completion, today)
    return DisclosureRequest.select().count()
