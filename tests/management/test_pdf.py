"""The management review record as a PDF (issue 19): the review, its decisions and the
signature boxes read back, A4 and fonts, the file name, the audit row, who may have it."""
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.management import services
from tests import factories, pdfcheck
from tests.management.factories import make_review


def test_review_record_in_japanese(client, signed_in):
    """Does the record read back in Japanese with its reference, the top management's
    decision, the signature boxes, on A4 with the fonts embedded?"""
    signed_in.locale = 'ja'
    signed_in.save()
    review = make_review(signed_in)
    services.decide(review, 'ledger', '見直し期限を守る。', None, signed_in)
    response = client.get('/management-reviews/%d/review.pdf' % review.id)
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    for expected in (review.reference, 'マネジメントレビュー記録', '2026年度マネジメントレビュー',
                     '見直し期限を守る。', '代表取締役社長佐藤一郎', 'トップマネジメント',
                     '個人情報保護管理者'):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    day = review.planned_on.isoformat()
    assert pdfcheck.file_names(response) == (
        '%s_Management-review-record_%s.pdf' % (review.reference, day),
        '%s_マネジメントレビュー記録_%s.pdf' % (review.reference, day))
    event = pdfcheck.last_export()
    assert event.object_type == 'management_review'
    assert json.loads(event.details)['report'] == 'management_review'


def test_review_pages_link_the_pdf(client, signed_in):
    """Do the review page and its print view link the record's PDF, in English here?"""
    review = make_review(signed_in)
    link = '/management-reviews/%d/review.pdf' % review.id
    assert link in client.get('/management-reviews/%d' % review.id).text
    assert link in client.get('/management-reviews/%d/print' % review.id).text
    text = pdfcheck.flat(pdfcheck.read(client.get(link)))
    assert 'Managementreviewrecordマネジメントレビュー記録' in text


@pytest.mark.parametrize('roles, department, status', [
    (('employee',), 'SALES', 403),
    (('employee', 'manager'), 'SALES', 403),
    (('employee', 'customer_center'), 'CC', 403),
    (('employee', 'auditor'), 'AUDIT', 200),
])
def test_who_may_make_the_record(client, chair, roles, department, status):
    """Is the PDF refused, on the record, to those who may not read the review?"""
    review = make_review(chair)
    user = factories.make_user(roles=roles, department=department)
    client.post('/login', data={'email': user.email, 'password': factories.PASSWORD})
    assert client.get('/management-reviews/%d/review.pdf' % review.id).status_code == status
    if status != 200:
        assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()
        assert not AuditEvent.select().where(AuditEvent.action == 'export').exists()
