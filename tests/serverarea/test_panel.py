"""The server area's home-panel context and template (registered by the home page)."""
import datetime

from flask import render_template

from stintranet.serverarea.panels import flags
from stintranet.timezone import local_date_to_utc, today_local
from tests.serverarea.factories import enter, manager_of


def test_panel_counts_flags_in_the_managers_scope(app, room, operator):
    """Does the panel count the IT manager's flags, none for HR's manager, in two queries?"""
    from playhouse.test_utils import count_queries
    yesterday = local_date_to_utc(today_local()) - datetime.timedelta(hours=3)
    enter(room, person=operator, now=yesterday)
    enter(room, visitor=('Sasaki', 'Tohto K.K.'))
    it = manager_of('IT')
    with count_queries() as counter:
        context = flags(it)
    assert counter.count == 2
    assert context['counts'] == {'no_exit': 1, 'no_escort': 1, 'unapproved': 0}
    assert context['areas'][0].inside_count == 2
    assert flags(manager_of('HR'))['counts'] == {'no_exit': 0, 'no_escort': 0, 'unapproved': 0}
    with app.test_request_context('/'):
        html = render_template('serverarea/_panel_flags.html', panel=context)
    assert '1 entry without an exit from an earlier day' in html


def test_work_list_source_is_the_managers_stale_entries(app, room, operator):
    """Does ``AreaEntry.without_exit`` give an area's managers (and the committee) the entries
    left open from an earlier day, and nobody else, oldest first?"""
    from stintranet.serverarea.models import AreaEntry
    from tests import factories
    today = today_local()
    old = enter(room, person=operator, now=local_date_to_utc(today) - datetime.timedelta(days=2))
    enter(room, visitor=('Sasaki', 'Tohto K.K.'),
          now=local_date_to_utc(today) - datetime.timedelta(hours=1))
    enter(room, visitor=('Kimura', 'Kanto K.K.'))
    assert [e.id for e in AreaEntry.without_exit(manager_of('IT'), today)][0] == old.id
    assert AreaEntry.without_exit(manager_of('IT'), today).count() == 2
    assert AreaEntry.without_exit(manager_of('HR'), today).count() == 0
    chair = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    assert AreaEntry.without_exit(chair, today).count() == 2
    auditor = factories.make_user(roles=('employee', 'auditor'), department='AUDIT')
    assert AreaEntry.without_exit(auditor, today).count() == 0
