"""The PPC report pack as a PDF (issue 19): its 速報 and 確報 versions show what was known
at each filing, its items follow the PPC's report form (別記様式第一) in Japanese, and
each PDF made is audit-logged and kept encrypted."""
import datetime
import hashlib
import json

import pytest

from stintranet import db as dbmod
from stintranet.auditlog.models import AuditEvent
from stintranet.incidents import services
from stintranet.incidents.models import IncidentFiling, IncidentPackCopy
from stintranet.timezone import today_local
from tests import factories, pdfcheck
from tests.incidents.factories import make_incident

# The items of 別記様式第一 as the pack's numbered headings, in the form's order.
FORM_ITEMS = ('1.概要', '2.漏えい等が発生し、又は発生したおそれがある個人データの項目',
              '3.漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数',
              '4.原因', '5.二次被害又はそのおそれの有無及びその内容', '6.本人への対応の実施状況',
              '7.公表の実施状況', '8.再発防止のための措置', '9.その他参考となる事項')


@pytest.fixture
def committee(login_as):
    return login_as('committee', department='LEGAL')


def reportable(committee, **fields):
    """A reportable case (over 1,000 persons) with the committee's report texts."""
    incident = make_incident(status='investigating', persons_affected=2300,
                             data_items='氏名\nメールアドレス\n注文履歴',
                             narrative='ウェブショップの顧客アカウントに不正ログインがありました。',
                             **fields)
    assert incident.reportable
    return services.update_pack(incident, actor=committee,
                                report_cause='パスワードリスト攻撃による不正ログイン',
                                report_recurrence='二要素認証を導入する。')


def pack(client, incident, stage):
    return client.get('/incidents/%d/ppc-report/%s.pdf' % (incident.id, stage))


def test_japanese_pack_follows_the_report_form(client, committee):
    """Does the pack read in Japanese with the nine items of 別記様式第一 in the form's
    order, the reference, the facts, A4 and the fonts embedded?"""
    committee.locale = 'ja'
    committee.save()
    incident = reportable(committee)
    response = pack(client, incident, 'preliminary')
    reader = pdfcheck.read(response)
    text = pdfcheck.flat(reader)
    positions = [text.find(item) for item in FORM_ITEMS]
    assert -1 not in positions and positions == sorted(positions), positions
    for expected in (incident.reference, '速報', 'ウェブショップの顧客アカウントに不正ログインがありました。',
                     '氏名,メールアドレス,注文履歴', '2,300', 'パスワードリスト攻撃による不正ログイン',
                     '二要素認証を導入する。'):
        assert expected in text, expected
    pdfcheck.assert_a4(reader)
    pdfcheck.assert_fonts_embedded(reader, japanese=True)
    ascii_name, name = pdfcheck.file_names(response)
    day = today_local().isoformat()
    assert name == '%s_速報_%s.pdf' % (incident.reference, day)
    assert ascii_name == '%s_Preliminary-report_%s.pdf' % (incident.reference, day)


def test_filed_version_keeps_what_was_known(client, committee):
    """Once the 速報's filing is recorded, does its PDF keep the facts of that day while
    the 確報's draft shows the case as it stands?"""
    incident = reportable(committee)
    filed_on = today_local() - datetime.timedelta(days=1)
    incident = services.record_reports(incident, actor=committee, preliminary_sent_on=filed_on)
    assert IncidentFiling.select().count() == 1
    services.update_pack(incident, actor=committee, report_cause='委託先のサーバー設定の誤り')
    preliminary = pdfcheck.flat(pdfcheck.read(pack(client, incident, 'preliminary')))
    assert 'パスワードリスト攻撃による不正ログイン' in preliminary
    assert '委託先のサーバー設定の誤り' not in preliminary
    assert 'Asfiled' in preliminary and filed_on.isoformat() in preliminary
    final = pdfcheck.flat(pdfcheck.read(pack(client, incident, 'final')))
    assert '委託先のサーバー設定の誤り' in final and 'draft:notfiledyet' in final
    name = pdfcheck.file_names(pack(client, incident, 'preliminary'))[1]
    assert name == '%s_Preliminary-report_%s.pdf' % (incident.reference, filed_on.isoformat())


def test_each_pack_made_is_logged_and_kept_encrypted(client, committee):
    """Is each PDF an 'export' row and a copy encrypted at rest, listed on the case and
    downloadable as it was made?"""
    incident = reportable(committee)
    response = pack(client, incident, 'final')
    details = json.loads(pdfcheck.last_export().details)
    assert details['report'] == 'ppc_report_pack' and details['stage'] == 'final'
    assert details['filed'] is False and details['pages'] >= 1
    assert 'パスワード' not in pdfcheck.last_export().details
    copy = IncidentPackCopy.get()
    assert copy.sha256 == hashlib.sha256(response.data).hexdigest() and not copy.filed
    raw = dbmod.database.execute_sql('SELECT content FROM incident_pack_copy').fetchone()[0]
    assert b'%PDF' not in bytes(raw)
    page = client.get('/incidents/%d' % incident.id).text
    assert copy.file_name in page
    kept = client.get('/incidents/%d/ppc-report/copies/%d.pdf' % (incident.id, copy.id))
    assert kept.data == response.data
    assert AuditEvent.select().where((AuditEvent.action == 'read')
                                     & (AuditEvent.object_type == 'incident_pack_copy')).exists()


@pytest.mark.parametrize('roles, status', [
    (('employee',), 403), (('manager',), 403), (('customer_center',), 403),
    (('auditor',), 200),
])
def test_who_may_make_the_pack(client, login_as, roles, status):
    """Is the pack's PDF refused, on the record, to all but the committee and the
    auditors, as its print view is?"""
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = reportable(chair)
    login_as(*roles, department='AUDIT' if 'auditor' in roles else 'SALES')
    assert pack(client, incident, 'preliminary').status_code == status
    assert client.get('/incidents/%d/ppc-report' % incident.id).status_code == status
    if status == 403:
        assert not IncidentPackCopy.select().exists()
        assert AuditEvent.select().where(AuditEvent.action == 'access_refused').exists()


def test_unknown_case_or_stage_is_404(client, committee):
    """Is a pack of a case that does not exist, or of a stage that is not a report, a
    404?"""
    incident = reportable(committee)
    assert client.get('/incidents/999/ppc-report/final.pdf').status_code == 404
    assert pack(client, incident, 'interim').status_code == 404
    assert client.get('/incidents/%d/ppc-report/copies/999.pdf'
                      % incident.id).status_code == 404
