"""Demo inquiries and complaints, as the Customer Center of a Japanese company would record
them: a year of questions about the privacy policy and the purposes of use, complaints
about direct mail and an operator's handling, one answered late, two awaiting an answer
(one overdue, one due tomorrow), one that became a Request for Disclosure and one that
became an incident."""
import datetime

from .. import seed
from ..disclosure.models import DisclosureRequest
from ..incidents import services as incident_services
from ..timezone import today_local
from . import services

# (days ago received, hour, kind, channel, category, subject, name, contact, content,
#  the answer or None, answered so many days after receipt, closed)
INQUIRIES = [
    (330, 10, 'inquiry', 'phone', 'policy', 'プライバシーポリシーの改定内容について',
     '佐藤 花子', '090-0000-1122',
     '先月改定されたプライバシーポリシーで、何が変わったのか教えてほしい。',
     'ポリシー第4条（共同利用）を追加したことを説明し、改定箇所の対照表を郵送した。',
     3, True),
    (290, 14, 'complaint', 'email', 'handling', 'DM の送付停止を依頼したのに届いた',
     '鈴木 一郎', 'suzuki.ichiro@example.jp',
     '3月に DM 停止を依頼したが、5月にもカタログが届いた。どうなっているのか。',
     '停止処理が営業部の発送リストに反映されていなかったことを謝罪。リストを修正し、'
     '再発防止策（停止依頼の翌営業日反映）を説明した。',
     5, True),
    (240, 11, 'inquiry', 'web', 'purpose', '会員登録時の個人情報の利用目的',
     '高橋 美咲', 'misaki.t@example.jp',
     'ポイント会員に登録した場合、購買履歴はどのような目的で利用されるのか。',
     '利用目的（商品の発送、アフターサービス、新商品のご案内）を説明し、'
     'ご案内の停止方法を案内した。', 2, True),
    (180, 16, 'complaint', 'phone', 'handling', 'コールセンター担当者の本人確認が不十分',
     '田中 健太', '03-0000-4455（自宅）',
     '家族が電話で自分の注文履歴を聞いたところ、担当者が答えてしまったと聞いた。',
     '通話記録を確認し、本人確認手順が守られていなかったことを謝罪。担当者への再教育と'
     '手順の見直しを行う旨を回答した。', 12, True),
    (120, 9, 'inquiry', 'mail', 'request', '保有個人データの開示請求の方法',
     '伊藤 直樹', '〒150-0000 東京都渋谷区〇〇1-2-3',
     '自分の個人情報がどう保存されているか知りたい。手続きを教えてほしい。',
     '開示等請求書と本人確認書類の案内を郵送した。', 4, True),
    (75, 13, 'inquiry', 'counter', 'other', '防犯カメラ映像の保存期間',
     '渡辺 由美', '', '店頭の防犯カメラの映像はどのくらい保存されるのか。',
     '保存期間は30日で、その後は上書き消去されることを説明した。', 0, True),
    (40, 15, 'complaint', 'email', 'purpose', '利用目的外のアンケート依頼メール',
     '小林 誠', 'm.kobayashi@example.jp',
     '修理の連絡用に登録したメールアドレスに、アンケートの依頼が来た。目的外利用ではないか。',
     None, None, False),
    (20, 10, 'inquiry', 'phone', 'request', '第三者提供記録の開示について', '加藤 翔太',
     '080-0000-7788', '自分の情報がどこに提供されたか記録を見られるか。',
     '第三者提供記録の開示請求ができることを案内し、請求書を送付した。', 1, False),
    (12, 11, 'complaint', 'web', 'handling', '他人宛ての請求書が同封されていた',
     '山田 恵', 'megumi.yamada@example.jp',
     '届いた封筒に、自分の請求書と一緒に他人の請求書が入っていた。',
     None, None, False),
    (6, 17, 'inquiry', 'email', 'policy', 'Cookie の利用について', '中村 亮',
     'r.nakamura@example.jp', 'ウェブサイトの Cookie で何を取得しているのか知りたい。',
     None, None, False),
]


@seed.register(700)
def seed_inquiries(context):
    """A year of the Customer Center's inquiries, answered, open, linked."""
    today = today_local()
    days = datetime.timedelta
    cc = context['users']['cc']
    made = []
    for (ago, hour, kind, channel, category, subject, name, contact, content, answer,
         answer_after, closed) in INQUIRIES:
        received = today - days(ago)
        due = None
        if ago == 6:
            due = today + days(1)  # due tomorrow: the reminder and the work list show it
        inquiry = services.create({
            'kind': kind, 'channel': channel, 'category': category, 'subject': subject,
            'contact_name': name, 'contact_details': contact, 'content': content,
            'received_local': datetime.datetime.combine(received, datetime.time(hour, 5)),
            'due_on': due}, actor=cc)
        if answer is not None:
            inquiry = services.answer(inquiry, answer, received + days(answer_after),
                                      inquiry.version, cc)
            if closed:
                inquiry = services.close(inquiry, inquiry.version, cc)
        made.append(inquiry)

    request = DisclosureRequest.select().order_by(DisclosureRequest.id).first()
    if request is not None:
        services.link_target(made[4], request, '開示等請求書を受領', cc)
    # The misdirected invoice is a leak: the Customer Center reports it and links it.
    incident = incident_services.report(
        cc, narrative='お客様（INQ-%05d）から、他のお客様宛ての請求書が同封されていたとの申出。'
                      '請求書発送の封入工程で 2 名分が同じ封筒に入ったとみられる。' % made[8].id,
        noticed_at=made[8].received_at, kind='leak', estimated_persons=2, name_shown=True)
    services.link_target(made[8], incident, '誤封入として漏えい報告済み', cc)
