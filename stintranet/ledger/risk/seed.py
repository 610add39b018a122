"""Demo risk assessments, in Japanese, as a personal-information manager would write them:
most current entries assessed stage by stage this year, those reviewed this year confirmed
in the review, one assessment older than a review cycle, the drafts and an old litigation
file not assessed yet (so that the ledger health list shows both cases)."""
import datetime

from ... import seed
from ...timezone import today_local
from ..models import LedgerReview, add_months
from . import services
from .models import RiskAssessment, RiskRevision

NOT_ASSESSED = ('Litigation files',)
STALE = ('Entry and exit records (badge system)',)
# Months since each of these was assessed (the others: one to ten months, by position).
HIGH_IMPACT_ITEMS = {'health', 'medical_history', 'disability', 'my_number', 'bank_account',
                     'credit_card', 'criminal_record'}


def risk(stage, threat, scenario, likelihood, impact, measures, override='', reason=''):
    return {'stage': stage, 'threat': threat, 'scenario': scenario, 'likelihood': likelihood,
            'impact': impact, 'measures': measures, 'residual_override': override,
            'override_reason': reason}


def risks_for(entry):
    """The stage-by-stage risks of a demo entry, from its medium, items and transfers."""
    paper = entry.medium in ('paper', 'both')
    electronic = entry.medium in ('electronic', 'both')
    impact = 3 if (entry.special_care or HIGH_IMPACT_ITEMS & set(entry.item_codes)) else 2
    rows = []
    if paper:
        rows.append(risk('acquisition', 'loss', '受付した申込書・帳票の紛失', 1, impact,
                         '受付簿に記録し、受付当日に施錠キャビネットへ保管する。'))
    if electronic:
        rows.append(risk('acquisition', 'leak', '入力画面・送信経路での盗み見・盗聴', 1, impact,
                         '入力画面は TLS で暗号化し、入力端末は覗き見防止フィルタを使用する。'))
    rows.append(risk('use', 'misuse', '業務上必要のない従業者による閲覧・目的外利用',
                     1 if impact == 3 else 2, impact,
                     'アクセス権限を担当者に限定し、操作ログを毎月確認する。利用目的を'
                     '年次教育で周知する。'))
    rows.append(risk('storage', 'unauthorised_access' if electronic else 'leak',
                     'サーバ・共有フォルダへの不正アクセス' if electronic
                     else '書類保管庫からの持出し',
                     1, impact,
                     'ディスク暗号化、多要素認証、パッチ適用を月次で実施。'
                     if electronic else 'キャビネットを施錠し、鍵の貸出しを記録する。'))
    if entry.is_abroad:
        rows.append(risk('transfer', 'leak', '国外クラウドへの送信・国外での保管中の漏えい',
                         2, 3, '契約で安全管理措置を定め、送信・保管とも暗号化する。'
                         '提供元の SOC 2 報告書を年 1 回確認する。'))
    elif entry.outsourced or entry.third_party_provision:
        rows.append(risk('transfer', 'misdelivery', '委託先・提供先への誤送付・誤送信', 2,
                         impact, '送付前に宛先をダブルチェックし、ファイルはパスワード付きで'
                         '送り、パスワードは別経路で伝える。', 'low',
                         '送付は月 1 回の定型業務で、送付先が 1 社に固定されているため。'))
    else:
        rows.append(risk('transfer', 'not_applicable', '社外への移送・送信はなく、社内システム'
                         '内でのみ扱う。', None, None, ''))
    rows.append(risk('disposal', 'leak', '廃棄時の消去漏れ・廃棄書類からの漏えい', 1, impact,
                     '電子データは消去ソフトで上書き消去し、紙は溶解処理して証明書を受領する。'))
    return rows


@seed.register(110)
def seed_risk_assessments(context):
    """Risk assessments of the demo ledger's current entries."""
    today = today_local()
    entries = [e for e in context.get('ledger_entries', [])
               if not e.is_retired and e.status == 'active' and e.title not in NOT_ASSESSED]
    reviewed = {r.entry_id: r for r in LedgerReview.select().where(
        (LedgerReview.kind == 'confirmed') & (LedgerReview.reviewed_on == today))}
    for n, entry in enumerate(entries):
        # The department's manager, or the system for those without one (the assessor
        # recorded is then the entry's responsible person).
        manager = context['users'].get('manager.%s' % entry.department.code.lower())
        assessment = services.save(entry, risks_for(entry), '', expected_version=None,
                                   actor=manager)
        months = 14 if entry.title in STALE else 1 + n % 10
        day = add_months(today, -months)
        RiskAssessment.update(assessed_on=day, assessed_by=manager or entry.responsible_id).where(
            RiskAssessment.id == assessment.id).execute()
        RiskRevision.update(at=datetime.datetime.combine(day, datetime.time(1))).where(
            RiskRevision.assessment == assessment.id).execute()
        if entry.id in reviewed:
            services.confirm(entry, actor=manager, review_id=reviewed[entry.id].id)
