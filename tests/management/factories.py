"""Management reviews with keyword defaults, made through the services as the committee
would."""
import datetime

from stintranet.ledger.models import add_months
from stintranet.management import services
from stintranet.timezone import today_local
from tests import factories


def committee_member():
    return factories.make_user(roles=('employee', 'committee'), department='LEGAL')


def make_review(actor=None, *, title='2026年度 マネジメントレビュー', start=None, end=None,
                planned_on=None, top_management='代表取締役社長 佐藤 一郎', attendees='委員会',
                law_changes='通則編の一部改正。', held_on=None, closed=False):
    """A review prepared by ``actor`` (a new committee member if none), held on
    ``held_on`` if given, closed with every area decided if ``closed``."""
    actor = actor or committee_member()
    today = today_local()
    end = end or today
    start = start or add_months(end, -12) + datetime.timedelta(days=1)
    review = services.create({'title': title, 'period_start': start, 'period_end': end,
                              'planned_on': planned_on or today,
                              'top_management': top_management, 'attendees': attendees,
                              'law_changes': law_changes}, actor)
    if held_on is not None:
        review = services.hold(review, held_on, review.version, actor)
    if closed:
        from stintranet.management import catalogue as C
        for area in C.AREA_CODES:
            services.decide(review, area, '変更なし。', None, actor)
        review = services.update(review, {'summary': '有効に運用されている。'}, review.version,
                                 actor)
        review = services.close(review, review.version, actor)
    return review
