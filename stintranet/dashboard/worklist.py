"""What needs me: the signed-in person's own open items across the capabilities.

Each kind of item is one query of its capability's model, for the roles that do that
work, limited to ``LIMIT`` rows that also carry how many there are in all (a window
count). The home page therefore costs one query per kind the person's roles call for,
whatever the data size. Items are ordered overdue PPC clocks first, then by due date;
items without a due date (awaiting a decision) come last, the longest waiting first.
"""
import datetime
from collections import namedtuple

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext
from peewee import JOIN, SQL, fn

from ..auditlog.models import AuditCheck
from ..audits.models import Finding, Inspection
from ..auth import roles as R
from ..auth.models import RoleGrant
from ..corrective.models import CorrectiveAction
from ..disclosure.models import DisclosureRequest
from ..incidents import appi
from ..incidents.models import Incident
from ..inquiries.models import Inquiry
from ..languages import join_words
from ..ledger.models import LedgerEntry, LedgerReview, risk_cutoff
from ..ledger.risk.models import RiskAssessment
from ..management.models import SOURCE_TYPE as REVIEW_SOURCE
from ..management.models import ManagementReview, ReviewDecision
from ..management.models import next_due as next_review_due
from ..notifications.models import OutboxMessage
from ..pledges.models import PledgeVersion
from ..registers.models import CarryOut
from ..serverarea.models import AreaEntry
from ..timezone import office_zone
from ..training.models import Assignment
from ..training.people import CONTENT_ROLES

LIMIT = 10

CLOCK_LABELS = {
    'preliminary_target': _l('Preliminary report to the PPC (target)'),
    'preliminary_max': _l('Preliminary report to the PPC (latest)'),
    'final': _l('Final report to the PPC'),
    'notice': _l('Notice to the individuals (promptly; internal target)'),
}

Kind = namedtuple('Kind', 'name label roles read count_text endpoint args')


class Item(namedtuple('Item', 'kind reference title url due_on since state phrase urgent')):
    """One thing to do: ``state`` is 'overdue', 'today', 'soon', 'later' or 'waiting'."""

    def sort_key(self):
        undated = self.due_on is None
        day = self.since if undated else self.due_on
        return (not self.urgent, undated, day or datetime.date.max, self.reference)


WorkList = namedtuple('WorkList', 'items counts')
Count = namedtuple('Count', 'kind total text url')


def due(due_on, today):
    """(state, phrase) of something due on ``due_on``."""
    days = (due_on - today).days
    if days < 0:
        return 'overdue', ngettext('Overdue by %(num)d day', 'Overdue by %(num)d days', -days)
    if days == 0:
        return 'today', _('Due today')
    return ('soon' if days <= 7 else 'later'), ngettext('Due in %(num)d day',
                                                         'Due in %(num)d days', days)


def planned(day, today):
    """(state, phrase) of an inspection planned on ``day`` and not started yet."""
    days = (day - today).days
    if days < 0:
        return 'overdue', ngettext('Planned %(num)d day ago, not started',
                                   'Planned %(num)d days ago, not started', -days)
    if days == 0:
        return 'today', _('Planned for today')
    return ('soon' if days <= 7 else 'later'), ngettext('Planned in %(num)d day',
                                                         'Planned in %(num)d days', days)


def days_since(day, today):
    return max((today - day).days, 0) if day else 0


def limited(query):
    """([the first LIMIT rows of ``query``], how many rows it finds in all): one query."""
    rows = list(query.select_extend(fn.COUNT(SQL('*')).over().alias('worklist_total'))
                .limit(LIMIT))
    return rows, (rows[0].worklist_total if rows else 0)


def local_day(moment):
    return appi.local_date(moment, office_zone()) if moment else None


def ppc_clocks(kind, user, today, now):
    rows, total = limited(Incident.clocks_for(user, today))
    items = []
    for incident in rows:
        clock = incident.next_clock(now)
        if clock is None:
            continue
        due_on = clock.deadline.due_on
        items.append(Item(kind, incident.reference, CLOCK_LABELS[clock.deadline.key],
                          url_for('incidents.reports', incident_id=incident.id), due_on, None,
                          *due(due_on, today), urgent=clock.state == appi.OVERDUE))
    return items, total


def triage(kind, user, today, now):
    rows, total = limited(Incident.awaiting_triage(user))
    items = []
    for i in rows:
        reported = local_day(i.reported_at)
        days = days_since(reported, today)
        phrase = (ngettext('Reported %(num)d day ago', 'Reported %(num)d days ago', days)
                  if days else _('Reported today'))
        items.append(Item(kind, i.reference, i.summary or i.kind_label,
                          url_for('incidents.triage', incident_id=i.id), None, reported,
                          'waiting', phrase, urgent=False))
    return items, total


def ledger_approvals(kind, user, today, now):
    rows, total = limited(LedgerReview.for_approval_by(user))
    items = []
    for r in rows:
        days = days_since(r.reviewed_on, today)
        phrase = (ngettext('Reviewed %(num)d day ago', 'Reviewed %(num)d days ago', days)
                  if days else _('Reviewed today'))
        title = _('Review of “%(title)s”', title=r.entry.title)
        items.append(Item(kind, r.entry.reference, title,
                          url_for('ledger.entry', entry_id=r.entry.id) + '#ledger-entry-review',
                          None, r.reviewed_on, 'waiting', phrase, urgent=False))
    return items, total


def ledger_reviews(kind, user, today, now):
    rows, total = limited(LedgerEntry.reviews_due_for(user, today))
    return [Item(kind, e.reference, '%s (%s)' % (e.title, e.department.code),
                 url_for('ledger.entry', entry_id=e.id) + '#ledger-entry-review',
                 e.next_review_due, None, *due(e.next_review_due, today), urgent=False)
            for e in rows], total


def ledger_risks(kind, user, today, now):
    rows, total = limited(RiskAssessment.missing_for(user, today, risk_cutoff(today)))
    items = []
    for e in rows:
        assessment = getattr(e, 'assessment', None)
        assessed = assessment.as_of if assessment is not None and assessment.id else None
        phrase = (_('Assessed on %(day)s, not confirmed since', day=assessed.isoformat())
                  if assessed else _('Not assessed yet'))
        items.append(Item(kind, e.reference, '%s (%s)' % (e.title, e.department.code),
                          url_for('ledger.entry', entry_id=e.id) + '#ledger-risk', None,
                          assessed, 'waiting', phrase, urgent=False))
    return items, total


def management_reviews(kind, user, today, now):
    """The reviews to hold or close, or the yearly review due within 30 days when none is
    in hand: one query (the open reviews and the last one held). Before the first review
    is held there is no cycle yet: the daily job tells the committee once, and the panel
    says so."""
    rows = list(ManagementReview.needing_work(user))
    held = [r for r in rows if r.held_on]
    last = max(held, key=lambda r: (r.held_on, r.id)) if held else None
    items = []
    for r in rows:
        if r.status == 'draft':
            items.append(Item(kind, r.reference, _('Hold “%(title)s”', title=r.title),
                              url_for('management.review', review_id=r.id), r.planned_on,
                              None, *planned(r.planned_on, today), urgent=False))
        elif r.is_open:
            items.append(Item(kind, r.reference,
                              _('Record the decisions of “%(title)s” and close it',
                                title=r.title),
                              url_for('management.review', review_id=r.id), None, r.held_on,
                              'waiting', _('Held on %(day)s', day=r.held_on.isoformat()),
                              urgent=False))
    due_on = next_review_due(last.held_on, today) if last else None
    if last is not None and not items and due_on <= today + datetime.timedelta(days=30):
        items.append(Item(kind, _('Management review'),
                          _('The yearly management review is due'),
                          url_for('management.new'), due_on, None, *due(due_on, today),
                          urgent=False))
    return items, len(items)


def carry_outs(kind, user, today, now):
    rows, total = limited(CarryOut.awaiting(user))
    return [Item(kind, c.asset.tag, _('Carry-out to %(place)s', place=c.destination),
                 url_for('registers.asset', asset_id=c.asset.id) + '#registers-asset-status',
                 c.out_on, None, *due(c.out_on, today), urgent=False)
            for c in rows], total


def disclosure_requests(kind, user, today, now):
    rows, total = limited(DisclosureRequest.awaiting_answer(user))
    return [Item(kind, r.reference, join_words(r.type_labels),
                 url_for('disclosure.detail', request_id=r.id), r.due_on, None,
                 *due(r.due_on, today), urgent=False)
            for r in rows], total


def inquiries(kind, user, today, now):
    rows, total = limited(Inquiry.awaiting_answer(user))
    return [Item(kind, i.reference, i.subject, url_for('inquiries.detail', inquiry_id=i.id),
                 i.due_on, None, *due(i.due_on, today), urgent=False)
            for i in rows], total


def area_exits(kind, user, today, now):
    rows, total = limited(AreaEntry.without_exit(user, today))
    items = []
    for e in rows:
        entered = local_day(e.entered_at)
        days = days_since(entered, today)
        items.append(Item(kind, e.area.name, _('No exit recorded for %(who)s', who=e.who),
                          url_for('serverarea.area', area_id=e.area.id) + '#serverarea-open',
                          None, entered, 'waiting',
                          ngettext('Entered %(num)d day ago', 'Entered %(num)d days ago', days),
                          urgent=False))
    return items, total


def inspections(kind, user, today, now):
    rows, total = limited(Inspection.led_by(user))
    items = []
    for i in rows:
        state = ('waiting', _('In progress')) if i.is_in_progress else planned(i.planned_on, today)
        items.append(Item(kind, i.reference, i.title,
                          url_for('audits.inspection', inspection_id=i.id),
                          None if i.is_in_progress else i.planned_on,
                          i.planned_on if i.is_in_progress else None, *state, urgent=False))
    return items, total


def with_source(query):
    """Corrective actions with their source's reference: the incident's number, the
    finding's inspection and number, or the management review's (joined, so still one
    query)."""
    return (query.select_extend(Incident.id, Incident.reference, Finding.id, Finding.number,
                                Inspection.id, Inspection.reference, ReviewDecision.id,
                                ManagementReview.id)
            .join_from(CorrectiveAction, Incident, JOIN.LEFT_OUTER,
                       on=((CorrectiveAction.source_type == 'incident')
                           & (CorrectiveAction.source_id == Incident.id)),
                       attr='source_incident')
            .join_from(CorrectiveAction, Finding, JOIN.LEFT_OUTER,
                       on=((CorrectiveAction.source_type == 'finding')
                           & (CorrectiveAction.source_id == Finding.id)),
                       attr='source_finding')
            .join_from(Finding, Inspection, JOIN.LEFT_OUTER,
                       on=(Finding.inspection == Inspection.id))
            .join_from(CorrectiveAction, ReviewDecision, JOIN.LEFT_OUTER,
                       on=((CorrectiveAction.source_type == REVIEW_SOURCE)
                           & (CorrectiveAction.source_id == ReviewDecision.id)),
                       attr='source_decision')
            .join_from(ReviewDecision, ManagementReview, JOIN.LEFT_OUTER,
                       on=(ReviewDecision.review == ManagementReview.id)))


def source_reference(action):
    if action.source_incident is not None and action.source_incident.id:
        return action.source_incident.reference
    finding = action.source_finding
    if finding is not None and finding.id:
        return finding.reference_in(finding.inspection)
    decision = action.source_decision
    if decision is not None and decision.id:
        return decision.review.reference
    return ''


def actions_to_verify(kind, user, today, now):
    rows, total = limited(with_source(CorrectiveAction.to_verify_by(user)))
    items = []
    for a in rows:
        done = local_day(a.done_at)
        days = days_since(done, today)
        phrase = (ngettext('Done %(num)d day ago', 'Done %(num)d days ago', days)
                  if days else _('Done today'))
        items.append(Item(kind, source_reference(a), a.title,
                          url_for('corrective.action', action_id=a.id), None, done,
                          'waiting', phrase, urgent=False))
    return items, total


def own_actions(kind, user, today, now):
    rows, total = limited(with_source(CorrectiveAction.open_for_owner(user)))
    return [Item(kind, source_reference(a), a.title,
                 url_for('corrective.action', action_id=a.id), a.due_on, None,
                 *due(a.due_on, today), urgent=False)
            for a in rows], total


def training(kind, user, today, now):
    rows, total = limited(Assignment.open_for(user))
    return [Item(kind, a.course.code, a.course.title,
                 url_for('training.assignment', assignment_id=a.id), a.due_on, None,
                 *due(a.due_on, today), urgent=False)
            for a in rows], total


def pledge(kind, user, today, now):
    rows, total = limited(PledgeVersion.awaiting_signature(user))
    return [Item(kind, _('Version %(n)d', n=v.number), v.title, url_for('pledges.index'),
                 None, local_day(v.published_at), 'waiting', _('Not signed yet'),
                 urgent=False)
            for v in rows], total


def failed_mail(kind, user, today, now):
    rows, total = limited(OutboxMessage.problems()
                          .where(OutboxMessage.status == OutboxMessage.FAILED))
    return [Item(kind, '#%d' % m.id, m.subject, url_for('notifications.outbox'), None,
                 local_day(m.created_at), 'waiting', _('Delivery failed'), urgent=False)
            for m in rows], total


def role_grants(kind, user, today, now):
    rows, total = limited(RoleGrant.awaiting_decision_by(user))
    items = []
    for g in rows:
        asked = local_day(g.requested_at)
        days = days_since(asked, today)
        items.append(Item(kind, '#%d' % g.id,
                          _('%(role)s for %(name)s', role=R.LABELS[g.role], name=g.user.name),
                          url_for('admin.role_grants') + '#admin-grant-%d' % g.id, None, asked,
                          'waiting',
                          ngettext('Asked for %(num)d day ago', 'Asked for %(num)d days ago',
                                   days) if days else _('Asked for today'), urgent=False))
    return items, total


def audit_chain(kind, user, today, now):
    """The daily check's break, while the latest check found one (one query)."""
    broken = AuditCheck.broken()
    if broken is None:
        return [], 0
    return [Item(kind, '#%d' % broken.bad_seq,
                 _('The audit log fails verification at entry %(seq)d', seq=broken.bad_seq),
                 url_for('auditlog.index') + '#auditlog-chain', None,
                 local_day(broken.checked_at), 'overdue', _('Found by the daily check'),
                 urgent=True)], 1


# The kinds, in the order their counts are shown; ``args`` narrow the list they link to.
KINDS = (
    Kind('audit-chain', _l('Audit log'), (R.AUDITOR, R.COMMITTEE), audit_chain,
         lambda n: _('The audit log fails verification'), 'auditlog.index', {}),
    Kind('ppc-clock', _l('PPC report'), (R.COMMITTEE,), ppc_clocks,
         lambda n: ngettext('%(num)d case with a PPC report or notice due',
                            '%(num)d cases with a PPC report or notice due', n),
         'incidents.index', {'status': 'open', 'reportable': 'yes'}),
    Kind('triage', _l('Triage'), (R.COMMITTEE,), triage,
         lambda n: ngettext('%(num)d report awaiting triage',
                            '%(num)d reports awaiting triage', n),
         'incidents.index', {'status': 'reported'}),
    Kind('ledger-approval', _l('Review approval'), (R.COMMITTEE,), ledger_approvals,
         lambda n: ngettext('%(num)d ledger review awaiting approval',
                            '%(num)d ledger reviews awaiting approval', n),
         'ledger.index', {}),
    Kind('ledger-review', _l('Ledger review'), (R.MANAGER,), ledger_reviews,
         lambda n: ngettext('%(num)d ledger review due', '%(num)d ledger reviews due', n),
         'ledger.index', {'review': 'overdue'}),
    # Another manager of the asset's department decides, or the committee (the only
    # manager asked, none other active, or an unencrypted medium's exception).
    Kind('ledger-risk', _l('Risk assessment'), (R.MANAGER,), ledger_risks,
         lambda n: ngettext('%(num)d ledger entry without a current risk assessment',
                            '%(num)d ledger entries without a current risk assessment', n),
         'ledger.health', {'problem': 'risk'}),
    Kind('management-review', _l('Management review'), (R.COMMITTEE,), management_reviews,
         lambda n: ngettext('%(num)d management review needs you',
                            '%(num)d management reviews need you', n),
         'management.index', {}),
    Kind('carry-out', _l('Carry-out approval'), (R.MANAGER, R.COMMITTEE), carry_outs,
         lambda n: ngettext('%(num)d carry-out awaiting your approval',
                            '%(num)d carry-outs awaiting your approval', n),
         'registers.carry_outs', {'show': 'awaiting'}),
    Kind('disclosure', _l('Request for Disclosure'), (R.CUSTOMER_CENTER,),
         disclosure_requests,
         lambda n: ngettext('%(num)d request awaiting an answer',
                            '%(num)d requests awaiting an answer', n),
         'disclosure.index', {'status': 'open'}),
    Kind('inquiry', _l('Inquiry or complaint'), (R.CUSTOMER_CENTER,), inquiries,
         lambda n: ngettext('%(num)d inquiry awaiting an answer',
                            '%(num)d inquiries awaiting an answer', n),
         'inquiries.index', {}),
    # The managers of an area's department record the missing exits (the committee
    # reads the count in its server-area panel).
    Kind('area-exit', _l('Server-area exit'), (R.MANAGER,), area_exits,
         lambda n: ngettext('%(num)d server-area entry without an exit',
                            '%(num)d server-area entries without an exit', n),
         'serverarea.entries', {'state': 'flagged'}),
    Kind('inspection', _l('Inspection you lead'), (R.AUDITOR,), inspections,
         lambda n: ngettext('%(num)d inspection you lead', '%(num)d inspections you lead', n),
         'audits.index', {'status': 'open'}),
    Kind('verify', _l('Effectiveness check'), (R.COMMITTEE, R.AUDITOR), actions_to_verify,
         lambda n: ngettext('%(num)d corrective action to check',
                            '%(num)d corrective actions to check', n),
         'corrective.index', {'status': 'done'}),
    Kind('own-action', _l('Your corrective action'), CONTENT_ROLES, own_actions,
         lambda n: ngettext('%(num)d corrective action of yours',
                            '%(num)d corrective actions of yours', n),
         'corrective.index', {'who': 'me'}),
    Kind('training', _l('Training'), CONTENT_ROLES, training,
         lambda n: ngettext('%(num)d course to complete', '%(num)d courses to complete', n),
         'training.index', {}),
    Kind('pledge', _l('Confidentiality pledge'), CONTENT_ROLES, pledge,
         lambda n: ngettext('%(num)d pledge to sign', '%(num)d pledges to sign', n),
         'pledges.index', {}),
    Kind('role-grant', _l('Role grant'), (R.COMMITTEE,), role_grants,
         lambda n: ngettext('%(num)d role grant awaiting your approval',
                            '%(num)d role grants awaiting your approval', n),
         'admin.role_grants', {}),
    Kind('failed-mail', lazy_pgettext('channel', 'E-mail'), (R.ADMIN,), failed_mail,
         lambda n: ngettext('%(num)d e-mail could not be delivered',
                            '%(num)d e-mails could not be delivered', n),
         'notifications.outbox', {}),
)


def kinds_for(user):
    return [kind for kind in KINDS if user.has_role(*kind.roles)]


def for_user(user, today, now):
    """``user``'s work list: the items, most pressing first, and a count per kind that
    has any. One query per kind ``user``'s roles call for."""
    items, counts = [], []
    for kind in kinds_for(user):
        found, total = kind.read(kind, user, today, now)
        items.extend(found)
        if total:
            counts.append(Count(kind, total, kind.count_text(total),
                                url_for(kind.endpoint, **kind.args)))
    items.sort(key=Item.sort_key)
    return WorkList(items, counts)
