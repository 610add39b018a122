"""Demo incidents: one in every state, a reportable one with its clock running and
one overdue, all placed relative to now so the clocks always make sense."""
import datetime
import json

from .. import seed
from ..corrective.models import DONE, IN_PROGRESS, OPEN, VERIFIED, CorrectiveAction
from ..db import utcnow
from ..ledger.models import LedgerEntry
from ..timezone import today_local
from .models import (
    CLOSED,
    CONTAINED,
    DISMISSED,
    INVESTIGATING,
    REPORTED,
    TRIAGE,
    Incident,
    IncidentEvent,
    IncidentLedgerLink,
    IncidentSequence,
    reporter_ref,
)
from .services import _prefill_from_entry, local_year

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def _entry(department, words):
    """A demo ledger entry of ``department`` whose title has one of ``words``."""
    query = LedgerEntry.select().where(LedgerEntry.department == department.id)
    entries = list(query.order_by(LedgerEntry.id))
    for word in words:
        for entry in entries:
            if word.lower() in entry.title.lower():
                return entry
    return entries[0] if entries else None


def _create(reporter, *, ago, narrative, kind, name_shown=True, estimated_persons=None,
            status=REPORTED, steps=(), committee=None, entry=None, **fields):
    """An incident reported ``ago`` before now, with a timeline up to ``status``."""
    now = utcnow()
    reported_at = now - ago
    year = local_year(reported_at)
    number = IncidentSequence.next_number(year)
    identity = {'id': reporter.id, 'name': reporter.name, 'email': reporter.email,
                'department': reporter.department.code}
    incident = Incident(
        reference='INC-%04d-%04d' % (year, number), year=year, number=number, kind=kind,
        narrative=narrative, reporter_ref=reporter_ref(reporter),
        reporter_identity=json.dumps(identity, ensure_ascii=False),
        reporter_name_shown=name_shown, department=reporter.department_id,
        noticed_at=reported_at - 2 * H, reported_at=reported_at, aware_at=reported_at,
        estimated_persons=estimated_persons, status=status, updated_at=reported_at)
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.save()
    IncidentEvent(incident=incident, at=reported_at, kind=IncidentEvent.REPORTED,
                  by_reporter=True, to_status=REPORTED, internal=False,
                  summary='Reported').save()
    if entry is not None:
        IncidentLedgerLink.create(incident=incident, entry=entry, linked_by=committee,
                                  linked_at=reported_at + H)
        changed = _prefill_from_entry(incident, entry)
        for name, value in fields.items():
            setattr(incident, name, value)  # the committee's facts win over the prefill
        incident.reportable = incident.assessment().reportable
        incident.save()
        IncidentEvent(incident=incident, at=reported_at + H, kind=IncidentEvent.LEDGER,
                      author=committee, summary='Linked ledger entry %s "%s"; prefilled: %s' % (
                          entry.reference, entry.title, ', '.join(changed) or 'nothing')).save()
    else:
        incident.reportable = incident.assessment().reportable
        incident.save()
    previous = REPORTED
    for offset, target, note in steps:
        IncidentEvent(incident=incident, at=reported_at + offset, kind=IncidentEvent.TRANSITION,
                      author=committee, from_status=previous, to_status=target,
                      body=note, internal=False,
                      summary='%s → %s' % (previous, target)).save()
        previous = target
    return incident


def _comment(incident, author, after, text):
    IncidentEvent(incident=incident, at=incident.reported_at + after,
                  kind=IncidentEvent.COMMENT, author=author, body=text,
                  summary='Comment').save()


def _action(incident, title, owner, due_on, status, created_by, evidence='', check='',
            verifier=None):
    now = utcnow()
    action = CorrectiveAction.create(
        source_type='incident', source_id=incident.id, title=title, owner=owner, due_on=due_on,
        status=status, created_by=created_by, done_evidence=evidence,
        done_at=now - 3 * D if status in (DONE, VERIFIED) else None,
        effectiveness_check=check, verified_by=verifier if status == VERIFIED else None,
        verified_at=now - D if status == VERIFIED else None)
    IncidentEvent(incident=incident, at=incident.reported_at + 2 * D, kind=IncidentEvent.ACTION,
                  author=created_by, summary='Corrective action "%s" added' % title).save()
    return action


@seed.register(300)
def seed_incidents(context):
    """Six cases: reported, triage, investigating (clock running), contained
    (overdue), closed (reports sent, action verified) and dismissed."""
    users, departments = context['users'], context['departments']
    chair, committee = users['chair'], users['committee']
    today = today_local()

    _create(users['alice'], ago=2 * H, kind='leak', estimated_persons=1,
            narrative='I sent a quotation with a customer list attached to the wrong '
                      'customer by e-mail this morning. The recipient has not answered yet.')

    _create(users['carol'], ago=20 * H, kind='loss', name_shown=False, estimated_persons=30,
            status=TRIAGE, committee=chair, summary='Lost USB drive (HR)',
            steps=[(3 * H, TRIAGE, None)],
            narrative='A USB drive with interview notes was not in the locked drawer when I '
                      'came back from the meeting room. I do not know whether it was encrypted.')

    running = _create(
        users['bob'], ago=30 * H, kind='unauthorised_access', estimated_persons=2000,
        status=INVESTIGATING, committee=chair, handler=users['manager.it'], severity='high',
        summary='Web shop account takeover', persons_affected=2300, wrongful_purpose=True,
        data_items='Name\nE-mail address\nOrder history',
        entry=_entry(departments['SALES'], ['customer', 'order', 'shop']),
        steps=[(2 * H, TRIAGE, None),
               (4 * H, INVESTIGATING, 'Logs requested from the hosting contractor.')],
        narrative='Several customers called to say that orders they did not place appeared '
                  'in their web shop accounts. The shop log shows logins from abroad.')
    _comment(running, users['manager.it'], 6 * H,
             'Password resets forced for the affected accounts; the login form now has a '
             'rate limit.')
    _action(running, 'Add two-factor authentication to the web shop login',
            users['manager.it'], today + datetime.timedelta(days=20), IN_PROGRESS, chair)

    overdue = _create(
        users['manager.hr'], ago=8 * D, kind='leak', estimated_persons=40, status=CONTAINED,
        committee=committee, handler=users['manager.hr'], severity='critical',
        summary='Health-check results sent to the wrong department',
        special_care=True, persons_affected=40,
        data_items='Name\nEmployee number\nHealth-check results',
        entry=_entry(departments['HR'], ['health', 'medical', 'employee']),
        steps=[(1 * H, TRIAGE, None), (3 * H, INVESTIGATING, None),
               (2 * D, CONTAINED, 'The wrong recipients confirmed deletion in writing.')],
        narrative='The annual health-check results of 40 employees were sent by internal mail '
                  'to the Sales Department instead of the industrial physician.')
    _action(overdue, 'Check recipients twice before sending health data',
            users['manager.hr'], today - datetime.timedelta(days=2), OPEN, committee)

    closed = _create(
        users['cc'], ago=70 * D, kind='loss', estimated_persons=1200, status=CLOSED,
        committee=chair, handler=committee, severity='medium',
        summary='Application forms lost in transit', persons_affected=1200,
        data_items='Name\nAddress\nTelephone number',
        preliminary_sent_on=today - datetime.timedelta(days=67),
        final_sent_on=today - datetime.timedelta(days=45),
        notice_sent_on=today - datetime.timedelta(days=66), notice_count=1200,
        notice_method='Letter', closed_at=utcnow() - 40 * D,
        report_cause='A courier lost a box of paper application forms between the Customer '
                     'Center and the archive.',
        report_secondary_damage='None known; the box was not found.',
        report_recurrence='Forms are scanned at the Customer Center and the paper is shredded '
                          'there; no more transport of originals.',
        steps=[(2 * H, TRIAGE, None), (5 * H, INVESTIGATING, None),
               (10 * D, CONTAINED, 'Search ended; the box was not found.'),
               (30 * D, CLOSED, 'Final report sent; measures in place.')],
        narrative='A box of about 1,200 paper application forms sent to the archive by courier '
                  'never arrived.')
    _action(closed, 'Scan application forms at the Customer Center', users['cc'],
            today - datetime.timedelta(days=30), VERIFIED, chair,
            evidence='Scanner installed; procedure CC-07 updated.',
            check='Checked three weeks of forms: none left the Customer Center.',
            verifier=committee)

    _create(users['alice'], ago=12 * D, kind='unsure', estimated_persons=0, status=DISMISSED,
            committee=committee, summary='Unlocked cabinet (nothing missing)',
            steps=[(2 * H, TRIAGE, None),
                   (1 * D, DISMISSED, 'The cabinet held only blank forms.')],
            closed_at=utcnow() - 11 * D,
            narrative='The cabinet of customer files was unlocked when I arrived this morning.')
