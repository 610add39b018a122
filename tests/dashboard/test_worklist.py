"""The work list at the top of the home page: each role's own open items, overdue PPC
clocks first, then by due date, with counts and links to where the work is done."""
import datetime
import re

from stintranet import seed
from stintranet.dashboard import worklist
from stintranet.db import utcnow
from stintranet.ledger.models import LedgerEntry, LedgerReview
from stintranet.pledges import services as pledge_services
from stintranet.timezone import today_local
from tests import factories
from tests.dashboard.data import PASSWORD, grow, sign_in
from tests.incidents.factories import make_action, make_incident
from tests.training.factories import make_course

DAY = datetime.timedelta(days=1)


def rows(html):
    """[(what, kind, due, status)] of the work list's table, in page order."""
    table = re.search(r'<table class="worklist-items">.*?</table>', html, re.S)
    if not table:
        return []
    found = []
    for row in re.findall(r'<tr class="worklist-[^"]*">(.*?)</tr>', table.group(0), re.S):
        cells = [re.sub(r'<[^>]+>', '', cell).strip()
                 for cell in re.findall(r'<td>(.*?)</td>', row, re.S)]
        found.append(tuple(re.sub(r'\s+', ' ', cell) for cell in cells))
    return found


def links(html):
    table = re.search(r'<table class="worklist-items">.*?</table>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', table.group(0)) if table else []


def test_due_phrases(app):
    """Do items say how late or how soon they are, in days?"""
    today = datetime.date(2026, 4, 10)
    assert worklist.due(today - 3 * DAY, today) == ('overdue', 'Overdue by 3 days')
    assert worklist.due(today - DAY, today) == ('overdue', 'Overdue by 1 day')
    assert worklist.due(today, today) == ('today', 'Due today')
    assert worklist.due(today + DAY, today) == ('soon', 'Due in 1 day')
    assert worklist.due(today + 20 * DAY, today) == ('later', 'Due in 20 days')


def test_overdue_ppc_clock_comes_first(client, login_as):
    """Does an overdue PPC clock come before everything else, even an item overdue for
    longer, then the rest by due date, and undated items last?"""
    today = today_local()
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    make_course(code='PI-BASICS', title='Protection basics', today=today - 40 * DAY)
    late = make_incident(status='triage', special_care=True, aware_at=utcnow() - 6 * DAY)
    running = make_incident(status='triage', special_care=True, aware_at=utcnow())
    new = make_incident(summary='Laptop left on a train')
    make_action(running, member, title='Lock the cabinet', due_in_days=5)
    sign_in_as(client, member)
    found = rows(client.get('/').text)
    # The clocks' own rule says when each report is due.
    late_due = late.next_clock().deadline.due_on
    running_due = running.next_clock().deadline.due_on
    assert today - 10 * DAY < late_due < today <= running_due
    assert found[0] == ('%s Preliminary report to the PPC (target)' % late.reference,
                        'PPC report', late_due.isoformat(),
                        worklist.due(late_due, today)[1])
    assert found[1] == ('PI-BASICS Protection basics', 'Training',
                        (today - 10 * DAY).isoformat(), 'Overdue by 10 days')
    assert found[2] == ('%s Preliminary report to the PPC (target)' % running.reference,
                        'PPC report', running_due.isoformat(),
                        worklist.due(running_due, today)[1])
    assert found[3][:2] == ('%s Lock the cabinet' % running.reference, 'Your corrective action')
    assert found[-1] == ('%s Laptop left on a train' % new.reference, 'Triage', '—',
                         'Reported today')
    assert len(found) == 5


def sign_in_as(client, user):
    response = client.post('/login', data={'email': user.email,
                                           'password': factories.PASSWORD})
    assert response.status_code == 302


def test_counts_and_limits(client, login_as):
    """Does each kind show at most ten items, with the count of all of them linking to
    the full list?"""
    member = login_as('employee', 'committee', department='LEGAL')
    for n in range(12):
        make_incident(summary='Report %d' % n)
    make_action(make_incident(), member, title='Mine')
    html = client.get('/').text
    assert '<a href="/incidents/?status=reported">13 reports awaiting triage</a>' in html
    assert '<a href="/corrective-actions/?who=me">1 corrective action of yours</a>' in html
    kinds = [row[1] for row in rows(html)]
    assert kinds.count('Triage') == 10 and kinds.count('Your corrective action') == 1


def test_nothing_to_do(client, login_as):
    """Does a person with nothing open read that nothing needs them?"""
    login_as('employee')
    html = client.get('/').text
    assert 'Nothing needs you now.' in html and not rows(html)


def test_pledge_to_sign_until_signed(client, login_as):
    """Is the current pledge in the work list until the person signs it?"""
    user = login_as('employee')
    version = pledge_services.publish_version('Pledge', 'Text.', '', None, 0)
    assert rows(client.get('/').text) == [
        ('Version 1 Pledge', 'Confidentiality pledge', '—', 'Not signed yet')]
    pledge_services.sign(user, version.number, version.text_sha256, user.name)
    assert rows(client.get('/').text) == []


def test_review_approval_is_not_offered_to_its_reviewer(client, login_as):
    """Does a committee member see reviews awaiting approval, except their own?"""
    member = login_as('employee', 'committee', department='LEGAL')
    other = factories.make_user(roles=('employee', 'manager'), department='SALES')
    today = today_local()
    for title, reviewer in (('Theirs', other), ('Mine', member)):
        entry = LedgerEntry.create(department=factories.make_department('SALES'), title=title,
                                   status='active', next_review_due=today + 300 * DAY)
        LedgerReview.create(entry=entry, reviewed_on=today - 2 * DAY, reviewer=reviewer,
                            kind='confirmed', next_review_due=today + 365 * DAY)
    found = rows(client.get('/').text)
    assert [row[0] for row in found] == ['LE-%05d Review of “Theirs”' % (entry.id - 1)]
    assert found[0][1:] == ('Review approval', '—', 'Reviewed 2 days ago')


def test_each_role_has_its_own_work_and_every_link_opens(client):
    """Does each demo role's work list hold the kinds of work that role does, and does
    every item's link open for them?"""
    seed.seed_demo(PASSWORD)
    grow()
    expected = {
        'chair': {'PPC report', 'Triage', 'Review approval', 'Effectiveness check',
                  'Carry-out approval', 'Your corrective action', 'Confidentiality pledge',
                  'Training', 'Management review'},
        'manager.sales': {'Ledger review', 'Risk assessment', 'Carry-out approval',
                          'Server-area exit',
                          'Your corrective action', 'Confidentiality pledge', 'Training'},
        'auditor': {'Inspection you lead', 'Effectiveness check', 'Your corrective action',
                    'Confidentiality pledge', 'Training'},
        'cc': {'Request for Disclosure', 'Inquiry or complaint', 'Your corrective action',
               'Confidentiality pledge', 'Training'},
        'alice': {'Your corrective action', 'Confidentiality pledge', 'Training'},
        'admin': {'E-mail'},
    }
    for local, kinds in expected.items():
        sign_in(client, local)
        html = client.get('/').text
        assert {row[1] for row in rows(html)} == kinds, local
        for url in set(links(html)):
            assert client.get(url).status_code == 200, (local, url)
        client.post('/logout')
