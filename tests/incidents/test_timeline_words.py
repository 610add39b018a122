"""The timeline says what changed in words, in the reader's language (issue 18)."""
import datetime

import peewee
import pytest
from flask_babel import force_locale

from stintranet import db as dbmod
from stintranet.incidents import services
from stintranet.incidents.models import Incident, IncidentEvent
from tests import factories
from tests.incidents.factories import make_entry, make_incident


def _texts(incident, locale):
    with force_locale(locale):
        return [e.text for e in IncidentEvent.timeline(incident)
                if e.kind not in ('reported', 'transition', 'comment', 'attachment')]


def _case(app):
    member = factories.make_user(roles=('employee', 'committee'), department='LEGAL')
    incident = make_incident()
    entry = make_entry(title='Web shop customers', items=('Name', 'Address'))
    incident, _changed = services.link_entry(incident, entry, actor=member)
    services.update_triage(Incident.get_by_id(incident.id), actor=member, severity='high',
                           persons_affected=1200, handler=member)
    services.record_reports(Incident.get_by_id(incident.id), actor=member,
                            preliminary_sent_on=datetime.date(2026, 12, 3))
    services.update_pack(Incident.get_by_id(incident.id), actor=member,
                         report_cause='A wrong address was typed.')
    return incident, member, entry


def test_timeline_in_japanese_names_no_codes(app):
    """Does a Japanese reader see 影響を受けた本人の数を1,200に変更, not persons_affected?"""
    with app.test_request_context():
        incident, member, entry = _case(app)
        texts = _texts(incident, 'ja')
    joined = '\n'.join(texts)
    assert '台帳登録%s「Web shop customers」を紐付け' % entry.reference in joined
    assert '影響を受けた本人の数を1,200に変更' in joined
    assert '重大度を「高」に変更' in joined
    assert '対応担当者を%sに変更' % member.name in joined
    assert '報告対象事態に該当' in joined  # more than 1,000 persons
    assert '記録: 速報 2026年12月3日(木)' in joined
    assert '報告書の記載を更新: 原因' in joined
    for code in ('persons_affected', 'severity', 'preliminary_sent_on', 'report_cause',
                 'handler', 'REPORTABLE', 'Triage'):
        assert code not in joined, code


def test_timeline_in_english(app):
    """Does an English reader get the same entries in English words?"""
    with app.test_request_context():
        incident, _member, _entry = _case(app)
        joined = '\n'.join(_texts(incident, 'en'))
    assert 'Number of persons affected changed to 1,200' in joined
    assert 'Severity changed to “High”' in joined
    assert 'now reportable to the PPC' in joined
    assert 'Recorded: Preliminary report on 2026-12-03' in joined
    assert 'persons_affected' not in joined


def test_old_entries_keep_their_summary(app):
    """Does an entry made before the details were kept still show its stored summary?"""
    incident = make_incident()
    event = services.add_event(incident, IncidentEvent.PACK, summary='Old words')
    assert IncidentEvent.get_by_id(event.id).text == 'Old words'


def test_details_are_append_only(app):
    """Does the database refuse rewriting what a timeline entry changed?"""
    incident = make_incident()
    event = services.add_event(incident, IncidentEvent.PACK, summary='x',
                               details={'changed': ['report_cause']})
    with pytest.raises(peewee.DatabaseError):
        with dbmod.database.atomic():
            IncidentEvent.update(details='{}').where(IncidentEvent.id == event.id).execute()
