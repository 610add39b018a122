"""Demo management reviews, in Japanese: last year's, held eleven months ago and closed, its
decisions raising three corrective actions (one verified, one done, one in progress); and
this year's in preparation, its inputs gathered and the changes in law typed."""
import datetime

from .. import seed
from ..corrective import services as corrective
from ..ledger.models import add_months
from ..timezone import today_local
from . import services

TOP_MANAGEMENT = '代表取締役社長 佐藤 一郎'
ATTENDEES = ('代表取締役社長、個人情報保護管理者（委員長）、個人情報保護監査責任者、'
             '個人情報保護推進委員会委員、各部門の個人情報保護責任者')

LAST_YEAR = {
    'audits': ('内部監査で営業部の書類保管（施錠漏れ）が軽微な不適合とされた。是正処置の完了を'
               '次回監査で確認すること。',
               ('営業部：書類保管ルールの再周知と施錠キャビネット運用の点検', 'manager.sales',
                -200, 'verified')),
    'incidents': ('誤送信事案が 2 件あり、いずれも報告対象事態には当たらなかった。再発防止のため'
                  'メール送信時の宛先確認を仕組み化すること。',
                  ('メール誤送信防止ツール（宛先確認ダイアログ）の全社導入', 'manager.it', -60,
                   'done')),
    'training': ('教育の受講率は 92%。未受講者への督促を部門長経由で行い、95% 以上を目標とする。',
                 ('未受講者への督促と受講率の月次報告', 'manager.hr', 40, 'in_progress')),
    'ledger': ('台帳の見直し期限超過が 3 件。見直し期限の 30 日前通知を徹底し、各部門で期限内に'
               '見直すこと。', None),
    'requests': ('開示等の請求 4 件はすべて社内期限内に回答した。現行の手順を維持する。', None),
    'inquiries': ('苦情 3 件のうち 1 件は回答が期限を過ぎた。カスタマーセンターの応対手順に'
                  'エスカレーション基準を追加すること。', None),
    'law': ('令和 4 年 4 月施行の改正個人情報保護法（漏えい等報告の義務化、外国にある第三者への'
            '提供時の情報提供）への対応は完了している。引き続き改正動向を注視する。', None),
    'previous': ('前回（初回）のマネジメントレビューはなく、該当なし。', None),
    'overall': ('個人情報保護マネジメントシステムは概ね適切かつ有効に運用されている。上記の是正'
                '処置に必要な予算（誤送信防止ツール）を承認する。', None),
}
LAST_YEAR_SUMMARY = ('PMS は適切・妥当かつ有効に機能していると判断する。誤送信防止と教育受講率の'
                     '向上を重点課題とし、次年度の目的とする。')

LAW_CHANGES = (
    '・個人情報保護委員会「個人情報の保護に関する法律についてのガイドライン（通則編）」の一部'
    '改正（漏えい等報告の記載事項の明確化）。\n'
    '・いわゆる 3 年ごと見直しに関する検討状況（課徴金制度、団体による差止請求等）の公表。\n'
    '・主要取引先との委託契約の更新（再委託時の事前承認条項の追加）。'
)


@seed.register(800)
def seed_management_reviews(context):
    """Last year's review, held and closed, and this year's in preparation."""
    today = today_local()
    users = context['users']
    chair = users['chair']
    held_on = add_months(today, -11)
    start = add_months(held_on, -12) + datetime.timedelta(days=1)
    last = services.create({
        'title': '%d年度 マネジメントレビュー' % held_on.year, 'period_start': start,
        'period_end': held_on - datetime.timedelta(days=14), 'planned_on': held_on,
        'top_management': TOP_MANAGEMENT, 'attendees': ATTENDEES,
        'law_changes': LAST_YEAR['law'][0]}, chair)
    last = services.hold(last, held_on, last.version, chair)
    for area, (text, spec) in LAST_YEAR.items():
        action = None
        if spec is not None:
            title, owner, due_in, _state = spec
            action = {'title': title, 'owner': users[owner],
                      'due_on': today + datetime.timedelta(days=due_in)}
        _decision, raised = services.decide(last, area, text, None, chair, action=action)
        if raised is not None:
            _progress(raised, spec, users)
    last = services.update(last, {'summary': LAST_YEAR_SUMMARY}, last.version, chair)
    services.close(last, last.version, chair)

    previous_end = last.period_end
    services.create({
        'title': '%d年度 マネジメントレビュー' % today.year,
        'period_start': previous_end + datetime.timedelta(days=1), 'period_end': today,
        'planned_on': today + datetime.timedelta(days=20), 'top_management': TOP_MANAGEMENT,
        'attendees': ATTENDEES, 'law_changes': LAW_CHANGES}, chair)


def _progress(action, spec, users):
    """Move a seeded action on to the state ``spec`` gives it."""
    _title, owner, _due_in, state = spec
    owner = users[owner]
    if state in ('in_progress', 'done', 'verified'):
        action = corrective.start(action, actor=owner)
    if state in ('done', 'verified'):
        action = corrective.complete(action, evidence='対応を完了し、結果を委員会に報告した。',
                                     actor=owner)
    if state == 'verified':
        corrective.verify(action, check='次回内部監査で運用状況を確認し、有効と判断した。',
                          effective=True, actor=users['committee'])
