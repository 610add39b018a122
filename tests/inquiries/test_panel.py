"""The inquiries' home-panel context and template (registered by the home page)."""
import datetime

from flask import render_template

from stintranet.inquiries.panels import summary
from stintranet.timezone import today_local
from tests import factories
from tests.inquiries.factories import make_inquiry


def test_panel_counts_open_overdue_and_due_tomorrow(app, cc):
    """Does the panel count the open, overdue and due-tomorrow inquiries, for the Customer
    Center and the committee, and nothing for anyone else?"""
    today = today_local()
    make_inquiry(cc, received=today - datetime.timedelta(days=30))
    make_inquiry(cc, received=today - datetime.timedelta(days=6))
    make_inquiry(cc)
    context = summary(cc)
    assert context['counts'] == {'open': 3, 'overdue': 1, 'due_soon': 1}
    assert context['totals']['total'] == 3
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    assert summary(chair)['counts']['open'] == 3
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    assert summary(auditor)['counts']['open'] == 0
    with app.test_request_context('/'):
        html = render_template('inquiries/_panel_due.html', panel=context)
    assert '3 inquiries awaiting an answer' in html and '1 overdue' in html


def test_work_list_source_is_the_customer_centers_open_inquiries(app, cc):
    """Does ``Inquiry.awaiting_answer`` give the Customer Center its open inquiries, the
    earliest due first, and the committee (who only reads) none?"""
    from stintranet.inquiries.models import Inquiry
    from tests.inquiries.factories import answer
    today = today_local()
    later = make_inquiry(cc)
    earlier = make_inquiry(cc, received=today - datetime.timedelta(days=10))
    answer(make_inquiry(cc), cc)
    assert [i.id for i in Inquiry.awaiting_answer(cc)] == [earlier.id, later.id]
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    assert Inquiry.awaiting_answer(chair).count() == 0
