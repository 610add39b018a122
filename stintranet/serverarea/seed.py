"""Demo server areas, as the IT and HR departments of a Japanese office would keep them:
the server room and the personnel archive, their authorised persons, a week of entries
and devices, and one of each thing the daily job flags (an entry left without an exit,
a visitor without an escort, a device not approved)."""
import datetime

from .. import seed
from ..db import utcnow
from ..timezone import local_date_to_utc, office_zone, today_local
from . import services


def _at(today, days_ago, hour, minute=0):
    """Naive UTC of ``hour:minute`` in the office's zone, ``days_ago`` days before today;
    a time of today that is still to come becomes a few minutes ago (at most midnight)."""
    day = today - datetime.timedelta(days=days_ago)
    local = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=office_zone())
    moment = local.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    if days_ago == 0:
        midnight = local_date_to_utc(today)
        moment = max(min(moment, utcnow() - datetime.timedelta(minutes=30)), midnight)
    return moment


@seed.register(650)
def seed_server_areas(context):
    """Two areas with a week of entries, exits and devices brought in."""
    today = today_local()
    days = datetime.timedelta
    departments, users = context['departments'], context['users']
    it, hr, chair = users['manager.it'], users['manager.hr'], users['chair']
    alice, carol = users['alice'], users['carol']

    room = services.create_area({
        'name': 'サーバールーム（本社3階）', 'department': departments['IT'].id,
        'location': '本社ビル3階 301室（ICカード・暗証番号錠）',
        'note': '入室は認可者のみ。外部業者は認可者の同行が必要です。\n'
                '私物のスマートフォン・USBメモリの持込みは禁止。持込機器は入口で点検し、'
                '情報システム部の責任者の承認を得てください。\n室内の撮影は禁止。',
        'active': True}, actor=it)
    archive = services.create_area({
        'name': '書庫（人事書類）', 'department': departments['HR'].id,
        'location': '本社ビル2階 人事部奥（施錠キャビネット室）',
        'note': '人事・給与関係書類の保管庫です。持出しは台帳に記録し、当日中に返却してください。',
        'active': True}, actor=hr)

    services.authorise(room, it, today - days(400), None, '情報システム部 責任者', it)
    services.authorise(room, chair, today - days(200), None, '個人情報保護委員会（監査立会い）', it)
    services.authorise(room, alice, today - days(90), today + days(90),
                       'バックアップ媒体交換の当番（期間限定）', it)
    services.authorise(archive, hr, today - days(400), None, '人事部 責任者', hr)
    services.authorise(archive, carol, today - days(300), None, '給与担当', hr)

    def visit(area, actor, days_ago, start, end, purpose, detail='', person=None,
              visitor=('', ''), escort=None, devices=()):
        entry = services.record_entry(
            area, actor=actor, today=today - days(days_ago), person=person,
            visitor_name=visitor[0], visitor_company=visitor[1], escort=escort,
            purpose=purpose, purpose_detail=detail, now=_at(today, days_ago, *start))
        for kind, description, inspected, approver in devices:
            services.add_device(entry, area, kind=kind, description=description,
                                inspected=inspected, approver=approver, actor=actor,
                                now=_at(today, days_ago, *start) + days(minutes=2))
        if end is not None:
            services.record_exit(entry, area, actor, now=_at(today, days_ago, *end))
        return entry

    visit(room, it, 6, (9, 30), (10, 5), 'patrol', '朝の巡回（空調・UPS 表示確認）', person=it)
    visit(room, it, 5, (17, 40), (17, 55), 'backup', '週次バックアップテープ交換', person=alice,
          devices=[('disk', 'LTO テープ（管理番号 BK-2025-14）', True, it)])
    visit(room, it, 4, (13, 0), (15, 20), 'vendor', 'UPS バッテリー交換',
          visitor=('山本 健一', '富士データシステム株式会社'), escort=it,
          devices=[('laptop', '保守用ノートPC（業者所有・資産番号 FDS-0381）', True, it),
                   ('tools', '工具一式', True, it)])
    visit(room, it, 3, (10, 0), (11, 30), 'audit', '内部監査の現地確認', person=chair)
    visit(room, it, 2, (16, 10), (16, 40), 'maintenance', 'ルーター設定変更（変更管理 CR-0212）',
          visitor=('佐々木 由美', '東都ネットワークサービス株式会社'),
          devices=[('laptop', '作業用ノートPC', False, None)])
    visit(room, it, 1, (18, 45), None, 'backup', '月次バックアップ媒体の交換', person=alice)
    visit(room, it, 0, (9, 15), None, 'maintenance', 'ディスク障害アラート対応', person=it,
          devices=[('usb', '暗号化USBメモリ（IT-USB-007）', True, it)])

    visit(archive, hr, 5, (11, 0), (11, 20), 'documents', '退職者書類の保管', person=carol)
    visit(archive, hr, 2, (14, 30), (15, 0), 'documents', '年末調整書類の取出し', person=hr)
    visit(archive, hr, 0, (10, 40), None, 'other', '書類保存期間の棚卸し', person=carol)
