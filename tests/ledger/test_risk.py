"""The risk assessment of a ledger entry: the section on the entry page, its htmx form,
revisions and audit rows, conflicts, bad input, who may do what, the yearly review that
confirms it and the health list that asks for it."""
import json

import pytest

from stintranet.auditlog.models import AuditEvent
from stintranet.ledger import services
from stintranet.ledger.models import LedgerEntry, add_months
from stintranet.ledger.risk import services as risk_services
from stintranet.ledger.risk.models import Risk, RiskAssessment, RiskRevision
from stintranet.timezone import today_local
from tests import factories
from tests.ledger.factories import make_entry, risk_rows

HTMX = {'HX-Request': 'true', 'HX-Target': 'ledger-risk'}


def posted(rows=None, version='', note='', **extra):
    """The form's POST data for ``rows`` (dicts as ``risk_rows`` gives them)."""
    data = {'version': version, 'note': note}
    for n, row in enumerate(rows if rows is not None else risk_rows()):
        for name, value in row.items():
            data['risks-%d-%s' % (n, name)] = '' if value is None else str(value)
    data.update(extra)
    return data


@pytest.fixture
def entry(departments):
    responsible = factories.make_user(roles=('employee', 'manager'), department='SALES')
    return make_entry('SALES', responsible=responsible, assessed=False)


def test_entry_page_shows_the_section_and_the_form_button(client, manager, entry):
    """Does an unassessed entry say so on its page and offer its managers the form?"""
    page = client.get('/ledger/%d' % entry.id)
    assert page.status_code == 200
    assert 'id="ledger-risk"' in page.text and 'No risk assessment yet' in page.text
    assert 'Assess the risks' in page.text


def test_the_form_comes_as_a_fragment_with_an_empty_row_per_stage(client, manager, entry):
    """Does the edit button get the form alone (htmx), one empty row per stage, labelled?"""
    response = client.get('/ledger/%d/risk/edit' % entry.id, headers=HTMX)
    assert response.status_code == 200
    assert '<html' not in response.text and 'HX-Request' in response.headers['Vary']
    for n in range(5):
        assert 'for="risks-%d-threat"' % n in response.text
    assert 'risks-5-threat' not in response.text
    assert 'Residual risk from likelihood × impact' in response.text
    plain = client.get('/ledger/%d/risk/edit' % entry.id)
    assert '<html' in plain.text and 'Risk assessment' in plain.text


def test_saving_makes_the_assessment_its_revision_and_audit_row(client, manager, entry):
    """Does a save store the risks in stage order, a revision and an audit row, and give
    back the section with the change event?"""
    rows = risk_rows()
    rows[1].update(likelihood=3, impact=3)                      # high by the matrix
    rows[2].update(residual_override='low', override_reason='Encrypted at rest.')
    response = client.post('/ledger/%d/risk' % entry.id, data=posted(list(reversed(rows))),
                           headers=HTMX)
    assert response.status_code == 200, response.text
    assert response.headers['HX-Trigger'] == 'ledger-risk-changed'
    assert 'The risk assessment was saved.' in response.text
    assert 'Assessed by %s on %s.' % (manager.name, today_local().isoformat()) in response.text
    assessment = RiskAssessment.get(RiskAssessment.entry == entry.id)
    risks = list(Risk.select().where(Risk.assessment == assessment.id).order_by(Risk.position))
    assert [r.stage for r in risks] == ['acquisition', 'use', 'storage', 'transfer',
                                        'disposal']
    assert risks[1].residual_level == 'high' and risks[2].residual_level == 'low'
    assert risks[3].likelihood is None and risks[3].residual_level is None
    revision = RiskRevision.get(RiskRevision.assessment == assessment.id)
    assert revision.action == 'create' and len(revision.change_map['after']) == 5
    event = AuditEvent.select().where(AuditEvent.object_type == 'ledger_risk_assessment') \
        .order_by(AuditEvent.seq.desc()).first()
    assert event.action == 'create' and event.actor_id == manager.id
    assert json.loads(event.details)['entry'] == entry.reference
    assert 'Set by the assessor' in response.text and 'Encrypted at rest.' in response.text


def test_an_update_removes_and_adds_risks_and_is_a_new_version(client, manager, entry):
    """Does ticking Remove delete a risk, a filled empty row add one, the version grow and
    the history name the stages changed?"""
    risk_services.save(entry, risk_rows(), '', expected_version=None, actor=manager)
    rows = risk_rows()
    data = posted(rows + [{'stage': 'use', 'threat': 'leak', 'scenario': 'Screens seen',
                           'likelihood': 1, 'impact': 1, 'measures': 'Privacy filters.',
                           'residual_override': '', 'override_reason': ''}],
                  version='1', **{'risks-4-remove': 'y'})
    rows_before = [r for r in risk_rows() if r['stage'] != 'disposal']
    assert len(rows_before) == 4
    response = client.post('/ledger/%d/risk' % entry.id, data=data, headers=HTMX)
    # Removing the only disposal risk leaves a stage uncovered: refused, input kept.
    assert response.status_code == 422
    assert 'Every stage needs at least one risk' in response.text
    assert 'Screens seen' in response.text
    data.pop('risks-4-remove')
    response = client.post('/ledger/%d/risk' % entry.id, data=data, headers=HTMX)
    assert response.status_code == 200
    assessment = RiskAssessment.get(RiskAssessment.entry == entry.id)
    assert assessment.version == 2
    assert Risk.select().where(Risk.assessment == assessment.id).count() == 6
    history = client.get('/ledger/%d/risk/history' % entry.id, headers=HTMX)
    assert 'Version 2' in history.text and 'stages changed: Use' in history.text
    assert '<html' not in history.text


@pytest.mark.parametrize('change,message', [
    ({'risks-0-threat': ''}, 'Choose the risk, or clear the row.'),
    ({'risks-0-likelihood': ''}, 'Rate the likelihood.'),
    ({'risks-0-measures': ''}, 'Describe the measures taken.'),
    ({'risks-0-residual_override': 'high'}, 'Give the reason for the residual risk'),
    ({'risks-3-scenario': ''}, 'Say why this stage does not occur.'),
    ({'risks-0-likelihood': '9'}, 'Choose one of the options.'),
    ({'risks-0-stage': 'orbit'}, 'Choose one of the options.'),
    ({'risks-0-threat': 'meteor'}, 'Choose one of the options.'),
    ({'risks-0-residual_override': 'none'}, 'Choose one of the options.'),
    ({'risks-0-measures': 'x' * 2001}, 'Field cannot be longer than 2000 characters.'),
])
def test_bad_rows_are_422_with_the_input_kept(client, manager, entry, change, message):
    """Is an incomplete or tampered row a 422 naming the problem, nothing saved, the
    input kept?"""
    data = posted(note='Checked with IT.')
    data.update(change)
    response = client.post('/ledger/%d/risk' % entry.id, data=data, headers=HTMX)
    assert response.status_code == 422
    assert message in response.text
    assert 'Checked with IT.' in response.text
    assert not RiskAssessment.select().where(RiskAssessment.entry == entry.id).exists()


@pytest.mark.parametrize('extra', [
    {'risks-99999999999999999999-stage': 'use'},
    {'risks-x-stage': 'use'},
    {'risks--1-threat': 'leak'},
])
def test_odd_row_indices_are_never_a_500(client, manager, entry, extra):
    """Do row indices nobody types leave the form answering 200 or 4xx, not 500?"""
    response = client.post('/ledger/%d/risk' % entry.id, data=posted(**extra), headers=HTMX)
    assert response.status_code in (200, 422)


@pytest.mark.parametrize('version', ['', 'abc', '0', '99999999999999'])
def test_a_stale_or_damaged_version_is_409_with_the_input_kept(client, manager, entry,
                                                                  version):
    """Does a save over someone else's show 409, their version and the typed input?"""
    risk_services.save(entry, risk_rows(scenario='Their words'), '', expected_version=None,
                       actor=manager)
    data = posted(risk_rows(scenario='My words'), version=version)
    response = client.post('/ledger/%d/risk' % entry.id, data=data, headers=HTMX)
    assert response.status_code == 409
    assert 'Someone else saved this risk assessment meanwhile' in response.text
    assert 'Their words' in response.text and 'My words' in response.text
    assert 'name="version" type="hidden" value="1"' in response.text
    assert RiskAssessment.get(RiskAssessment.entry == entry.id).version == 1


def test_plain_form_post_redirects_to_the_entry(client, manager, entry):
    """Without htmx, does a save redirect (303) to the entry's risk section?"""
    response = client.post('/ledger/%d/risk' % entry.id, data=posted())
    assert response.status_code == 303
    assert response.headers['Location'].endswith('/ledger/%d#ledger-risk' % entry.id)
    bad = client.post('/ledger/%d/risk' % entry.id, data=posted(**{'risks-0-impact': ''}))
    assert bad.status_code == 422 and '<html' in bad.text


@pytest.mark.parametrize('role,get_status,post_status', [
    (('employee', 'committee'), 200, 403),
    (('employee', 'auditor'), 200, 403),
    (('employee',), 403, 403),
    (('employee', 'customer_center'), 403, 403),
    (('admin',), 403, 403),
])
def test_who_reads_and_who_writes(client, login_as, entry, role, get_status, post_status):
    """Do the committee and the auditors read the assessment but never write it, and
    everyone else neither?"""
    risk_services.save(entry, risk_rows(), '', expected_version=None, actor=None)
    login_as(*role, department='LEGAL')
    assert client.get('/ledger/%d/risk' % entry.id, headers=HTMX).status_code == get_status
    assert client.get('/ledger/%d/risk/history' % entry.id).status_code == get_status
    assert client.get('/ledger/%d/risk/edit' % entry.id).status_code == post_status
    response = client.post('/ledger/%d/risk' % entry.id, data=posted(version='1'))
    assert response.status_code == post_status
    if get_status == 200:
        page = client.get('/ledger/%d' % entry.id)
        assert 'Update the risk assessment' not in page.text and 'Leak' in page.text


def test_another_departments_manager_gets_404(client, login_as, entry):
    """Is another department's entry, and its assessment, 404 to a manager?"""
    login_as('employee', 'manager', department='HR', manages=('HR',))
    assert client.get('/ledger/%d/risk' % entry.id).status_code == 404
    assert client.get('/ledger/%d/risk/edit' % entry.id).status_code == 404
    assert client.post('/ledger/%d/risk' % entry.id, data=posted()).status_code == 404


def test_a_retired_entry_keeps_its_assessment_read_only(client, manager, entry):
    """Is a retired entry's assessment refused an edit (409) and offered no button?"""
    risk_services.save(entry, risk_rows(), '', expected_version=None, actor=manager)
    services.retire_entry(LedgerEntry.get_by_id(entry.id), expected_version=None,
                          actor=manager, reason='Process ended.')
    assert client.get('/ledger/%d/risk/edit' % entry.id).status_code == 409
    response = client.post('/ledger/%d/risk' % entry.id, data=posted(version='1'),
                           headers=HTMX)
    assert response.status_code == 409
    assert 'is retired' in response.text
    assert 'Update the risk assessment' not in client.get('/ledger/%d' % entry.id).text


def review(client, entry, **extra):
    current = LedgerEntry.get_by_id(entry.id)
    return client.post('/ledger/%d/review' % entry.id,
                       data=dict({'version': str(current.version), 'note': 'Checked.'}, **extra))


def test_the_yearly_review_confirms_the_assessment(client, manager, entry):
    """Does a review ask to confirm an older assessment (422 without the tick) and then
    record the confirmation, a revision and an audit row?"""
    assessment = risk_services.save(entry, risk_rows(), '', expected_version=None,
                                    actor=manager)
    last_year = add_months(today_local(), -11)
    RiskAssessment.update(assessed_on=last_year).where(
        RiskAssessment.id == assessment.id).execute()
    page = client.get('/ledger/%d' % entry.id)
    assert 'The risk assessment still holds' in page.text
    refused = review(client, entry)
    assert refused.status_code == 422
    assert 'Confirm that the risk assessment still holds, or update it first.' in refused.text
    done = review(client, entry, risk_confirmed='y')
    assert done.status_code == 303
    assessment = RiskAssessment.get_by_id(assessment.id)
    assert assessment.confirmed_on == today_local() and assessment.confirmed_by_id == manager.id
    assert assessment.assessed_on == last_year
    revision = RiskRevision.select().where(RiskRevision.assessment == assessment.id) \
        .order_by(RiskRevision.version.desc()).first()
    assert revision.action == 'confirm' and revision.change_map['review']
    assert AuditEvent.select().where((AuditEvent.object_type == 'ledger_risk_assessment')
                                     & (AuditEvent.action == 'confirm')).exists()
    shown = client.get('/ledger/%d' % entry.id).text
    assert 'Confirmed in the review of %s by %s.' % (today_local(), manager.name) in shown


def test_an_assessment_updated_today_needs_no_tick(client, manager, entry):
    """Does a review pass without the tick when the assessment was updated today, and
    without an assessment at all?"""
    assert review(client, entry).status_code == 303
    risk_services.save(entry, risk_rows(), '', expected_version=None, actor=manager)
    assert review(client, entry).status_code == 303
    assert RiskAssessment.get(RiskAssessment.entry == entry.id).confirmed_on is None


def test_health_lists_entries_without_a_current_assessment(client, manager, departments):
    """Does ledger health list the unassessed entry and the one assessed more than a review
    cycle ago, each worded, and not the current one?"""
    make_entry(title='Fresh process')
    make_entry(title='Never assessed', assessed=False)
    old = make_entry(title='Assessed long ago')
    long_ago = add_months(today_local(), -13)
    RiskAssessment.update(assessed_on=long_ago).where(
        RiskAssessment.entry == old.id).execute()
    page = client.get('/ledger/health?problem=risk')
    assert page.status_code == 200
    assert 'Never assessed' in page.text and 'Assessed long ago' in page.text
    assert 'Fresh process' not in page.text
    assert 'Risk assessment last made or confirmed on %s' % long_ago.isoformat() in page.text
    counts = LedgerEntry.health_counts(manager, today_local())
    assert counts['risk'] == 2

