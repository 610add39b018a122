"""The inputs of a management review, gathered from the other capabilities (JIS Q 15001
9.3): one dict per input area, made of counts, codes and references only, so that the
snapshot stored with the review (JSON) holds no personal data and reads the same later.

Each area is read with the rights of the committee member who gathers it, for the
review's period (``start`` to ``end``, office days) where the input is a flow (audits,
incidents, requests, inquiries), as of the day of gathering where it is a state
(training and pledges, ledger health, open findings and actions).
"""
import datetime
from collections import Counter

from flask import current_app

from ..audits import models as audits
from ..db import utcnow
from ..disclosure import catalogue as DC
from ..disclosure.models import DisclosureRequest
from ..incidents import appi
from ..incidents.models import OPEN_STATUSES as INCIDENT_OPEN
from ..incidents.models import Incident
from ..inquiries import catalogue as IC
from ..inquiries.models import Inquiry, local_day
from ..ledger.models import LedgerEntry, risk_cutoff
from ..ledger.risk.models import Risk
from ..pledges import models as pledges
from ..timezone import local_date_to_utc
from ..training import models as training
from .models import ReviewDecision

LIST_LIMIT = 30


def iso(day):
    return day.isoformat() if day else None


def percent(part, whole):
    return (part * 100) // whole if whole else None


def gather_audits(user, start, end, today):
    """Inspections planned in the period, their findings by severity, the nonconformities
    still open and the state of their corrective actions."""
    inspections = list(audits.Inspection.visible_to(user).where(
        audits.Inspection.planned_on.between(start, end)))
    ids = [i.id for i in inspections]
    findings = list(audits.Finding.select(audits.Finding.severity, audits.Finding.closed_at)
                    .where(audits.Finding.inspection.in_(ids))) if ids else []
    open_rows = list(audits.Finding.open_for(user).limit(LIST_LIMIT))
    open_total = audits.Finding.open_for(user).count()
    return {
        'inspections': dict(Counter(i.status for i in inspections), total=len(inspections)),
        'references': [i.reference for i in inspections],
        'findings': dict(Counter(f.severity for f in findings), total=len(findings),
                         closed=sum(1 for f in findings if f.closed_at is not None)),
        'open_findings': [{'reference': f.reference_in(f.inspection), 'title': f.title,
                           'department': f.department.code, 'severity': f.severity}
                          for f in open_rows],
        'open_findings_total': open_total,
        'actions': audits.finding_action_counts(user, today),
    }


def gather_incidents(user, start, end, today):
    """Incidents reported in the period: by kind, reportable to the PPC, still open, and
    the reportable ones whose report or notice was late or is overdue."""
    now = utcnow()
    rows = list(Incident.visible_to(user).select(
        *Incident.clock_columns(), Incident.reference, Incident.kind, Incident.severity)
        .where((Incident.reported_at >= local_date_to_utc(start))
               & (Incident.reported_at < local_date_to_utc(end + datetime.timedelta(days=1))))
        .order_by(Incident.reported_at))
    late = []
    for incident in rows:
        states = {c.deadline.key: c.state for c in incident.clocks(now)}
        if any(states.get(key) in (appi.DONE_LATE, appi.OVERDUE)
               for key in ('preliminary_max', 'final', 'notice')):
            late.append(incident.reference)
    return {
        'total': len(rows),
        'kinds': dict(Counter(i.kind for i in rows)),
        'reportable': sum(1 for i in rows if i.reportable),
        'open': sum(1 for i in rows if i.status in INCIDENT_OPEN),
        'reported_to_ppc': sum(1 for i in rows if i.reportable and i.preliminary_sent_on),
        'late': late,
        'list': [{'reference': i.reference, 'kind': i.kind, 'status': i.status,
                  'reportable': bool(i.reportable)} for i in rows[:LIST_LIMIT]],
    }


def gather_training(user, today):
    """Training compliance and the signatures of the current pledge, per department."""
    rows = training.compliance(user, today)
    version = pledges.PledgeVersion.current()
    signed = pledges.compliance(user, version)
    assigned = sum(r.assigned for r in rows)
    completed = sum(r.completed for r in rows)
    people = sum(r.people for r in signed)
    signatures = sum(r.signed for r in signed)
    return {
        'assigned': assigned, 'completed': completed,
        'overdue': sum(r.overdue for r in rows), 'percent': percent(completed, assigned),
        'departments': [{'code': r.code, 'assigned': r.assigned, 'completed': r.completed,
                         'overdue': r.overdue, 'percent': r.percent} for r in rows],
        'pledge': {'version': version.number if version else None, 'people': people,
                   'signed': signatures, 'percent': percent(signatures, people),
                   'departments': [{'code': r.code, 'people': r.people, 'signed': r.signed,
                                    'percent': r.percent} for r in signed]},
    }


def gather_ledger(user, today):
    """The ledger's health counts and the risks left high after the measures."""
    counts = LedgerEntry.health_counts(user, today)
    counts['high_residual'] = Risk.high_residual_count(risk_cutoff(today))
    return counts


def gather_requests(user, start, end, today):
    """Requests for Disclosure received in the period: by type, answered on time or late,
    refused, still awaiting an answer (internal due date)."""
    rows = list(DisclosureRequest.visible_to(
        user, *[getattr(DisclosureRequest, n) for n in DisclosureRequest.LIST_COLUMNS])
        .where(DisclosureRequest.received_on.between(start, end)))
    types = Counter(code for r in rows for code in r.type_codes)
    answered = [r for r in rows if r.responded_on is not None]
    awaiting = [r for r in rows if r.awaiting_response]
    return {
        'received': len(rows), 'types': dict(types),
        'proxy': sum(1 for r in rows if r.is_proxy),
        'answered': len(answered),
        'on_time': sum(1 for r in answered if r.responded_on <= r.due_on),
        'late': sum(1 for r in answered if r.responded_on > r.due_on),
        'refused': sum(1 for r in rows if r.decision == DC.REFUSAL),
        'awaiting': len(awaiting),
        'overdue': sum(1 for r in awaiting if r.due_on < today),
        'completed': sum(1 for r in rows if r.status == DC.COMPLETED),
    }


def gather_inquiries(user, start, end, today):
    """Inquiries and complaints received in the period, by category, and how promptly
    they were answered."""
    rows = [i for i in Inquiry.visible_to(user, *Inquiry.list_columns())
            .where((Inquiry.received_at >= local_date_to_utc(start))
                   & (Inquiry.received_at < local_date_to_utc(end + datetime.timedelta(days=1))))]
    complaints = [i for i in rows if i.is_complaint]
    return {
        'received': len(rows), 'complaints': len(complaints),
        'categories': dict(Counter(i.category for i in rows)),
        'answered': sum(1 for i in rows if i.answered_at is not None),
        'answered_late': sum(1 for i in rows if i.answered_late()),
        'open': sum(1 for i in rows if i.status == IC.OPEN),
        'overdue': sum(1 for i in rows if i.is_overdue(today)),
        'complaints_late': sum(1 for i in complaints
                               if i.answered_late() or i.is_overdue(today)),
        'first_received': iso(min((local_day(i.received_at) for i in rows), default=None)),
    }


def gather_previous(review):
    """The previous review held and the corrective actions its decisions raised, with
    their state now."""
    from .models import ManagementReview
    previous = ManagementReview.previous_of(review)
    if previous is None:
        return None
    decisions = ReviewDecision.of_review(previous.id)
    by_decision = ReviewDecision.actions_of([d.id for d in decisions.values()])
    area_of = {d.id: area for area, d in decisions.items()}
    actions = [{'id': a.id, 'area': area_of.get(decision_id), 'title': a.title,
                'owner': a.owner.name, 'due_on': iso(a.due_on), 'status': a.status}
               for decision_id, found in by_decision.items() for a in found]
    actions.sort(key=lambda a: (a['due_on'] or '', a['id']))
    return {'id': previous.id, 'reference': previous.reference, 'title': previous.title,
            'held_on': iso(previous.held_on), 'actions': actions,
            'open': sum(1 for a in actions if a['status'] in ('open', 'in_progress'))}


def gather(review, user, today):
    """Every input area of ``review`` as ``user`` may read it today (a JSON-ready dict)."""
    start, end = review.period_start, review.period_end
    return {
        'gathered_on': iso(today),
        'period': [iso(start), iso(end)],
        'request_due_days': current_app.config['DISCLOSURE_DUE_DAYS'],
        'audits': gather_audits(user, start, end, today),
        'incidents': gather_incidents(user, start, end, today),
        'training': gather_training(user, today),
        'ledger': gather_ledger(user, today),
        'requests': gather_requests(user, start, end, today),
        'inquiries': gather_inquiries(user, start, end, today),
        'previous': gather_previous(review),
    }

