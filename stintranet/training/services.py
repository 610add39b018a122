"""Training writes: courses, assignment sync, completion, quizzes, recurrence, imports.

Who gets a course is decided by ``sync_course`` / ``sync_user`` from the
audience, never by the admin pages: a published course is synced at once, the
daily job syncs every course (new accounts, role changes, department moves,
deactivations), and ``/training/`` syncs the person opening it so a newcomer
sees their training without waiting for the night. Each sync is a fixed number
of set-based queries per course, and idempotent.
"""
import calendar
import datetime
import json

from flask_babel import gettext as _
from peewee import IntegrityError, chunked, fn

from .. import auditlog
from ..auth.models import User
from ..db import database, utcnow
from .content import normalise_text, parse_quiz
from .models import (
    ACKNOWLEDGEMENT,
    COMPLETED,
    DEPARTMENTS,
    DRAFT,
    OPEN,
    PUBLISHED,
    QUIZ,
    RETIRED,
    WITHDRAWN,
    Assignment,
    Choice,
    Course,
    CourseDepartment,
    Question,
    QuizAttempt,
)


class Conflict(Exception):
    """A state change that is stale or not allowed now (the view answers 409)."""


def add_months(day, months):
    """``day`` plus ``months``; the 31st becomes the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


COURSE_FIELDS = ('code', 'title', 'description', 'material', 'material_url', 'audience',
                 'recurrence_months', 'due_days', 'pass_mark')
LOCKED_AFTER_PUBLISHING = ('code', 'pass_mark')


def save_course(course, data, department_ids, quiz_text, actor, today, expected_version=None):
    """Create (``course`` None) or edit a course; the quiz is replaced only in a draft.

    ``expected_version`` is the version the editor started from: a save over a
    newer version raises Conflict. A published course's audience change is
    synced at once.
    """
    with database.atomic():
        created = course is None
        if created:
            course = Course(created_by=actor)
        else:
            fresh = Course.get_by_id(course.id)
            if expected_version is not None and fresh.version != expected_version:
                raise Conflict(_('%(name)s changed this course meanwhile. Their version is '
                                 'shown below; apply your changes again.',
                                 name=_editor_name(fresh)))
            if fresh.status == RETIRED:
                raise Conflict(_('A retired course cannot be changed.'))
            course = fresh
        before = {name: getattr(course, name) for name in COURSE_FIELDS}
        before_departments = set(course.department_ids()) if not created else set()
        for name in COURSE_FIELDS:
            if not created and course.status != DRAFT and name in LOCKED_AFTER_PUBLISHING:
                continue
            value = data[name]
            if name in ('description', 'material'):
                value = normalise_text(value)
            setattr(course, name, value)
        course.code = course.code.strip().upper()
        course.updated_at = utcnow()
        course.version = (course.version or 0) + 1 if not created else 1
        try:
            with database.atomic():
                course.save()
        except IntegrityError:
            raise Conflict(_('Another course already has the code %(code)s.',
                             code=course.code)) from None
        if course.audience != DEPARTMENTS:
            department_ids = []
        changed_departments = set(department_ids) != before_departments
        if changed_departments:
            CourseDepartment.delete().where(CourseDepartment.course == course).execute()
            for department_id in sorted(set(department_ids)):
                CourseDepartment.create(course=course, department=department_id)
        course._department_ids = frozenset(department_ids)
        quiz_changed = False
        if course.status == DRAFT:
            quiz_changed = replace_quiz(course, quiz_text)
        after = {name: getattr(course, name) for name in COURSE_FIELDS}
        changes = sorted(k for k in COURSE_FIELDS if before[k] != after[k])
        if changed_departments:
            changes.append('departments')
        if quiz_changed:
            changes.append('quiz')
        if created:
            auditlog.record('create', course, actor=actor, details={
                'code': course.code, 'audience': course.audience})
        elif changes:
            auditlog.record('update', course, actor=actor, details={'fields': changes})
        if course.status == PUBLISHED and ({'audience', 'departments'} & set(changes)):
            sync_course(course, today, actor=actor)
    return course


def _editor_name(course):
    """Who saved the course last, from the audit log (the course keeps no editor)."""
    event = (auditlog.AuditEvent.select()
             .where((auditlog.AuditEvent.object_type == Course._meta.table_name)
                    & (auditlog.AuditEvent.object_id == str(course.id)))
             .order_by(auditlog.AuditEvent.seq.desc()).first())
    return event.actor_email if event and event.actor_email else _('Someone')


def replace_quiz(course, quiz_text):
    """Store the parsed quiz of a draft; True when it changed."""
    questions, errors = parse_quiz(quiz_text)
    if errors:
        raise ValueError('invalid quiz: %s' % '; '.join(errors))
    old = [(q.text, [(c.text, c.is_correct) for c in q.choices])
           for q in course.questions_with_choices()]
    new = [(q.text, list(q.choices)) for q in questions]
    if old == new:
        return False
    Question.delete().where(Question.course == course).execute()
    for position, parsed in enumerate(questions, start=1):
        question = Question.create(course=course, position=position, text=parsed.text)
        for cpos, (text, correct) in enumerate(parsed.choices, start=1):
            Choice.create(question=question, position=cpos, text=text, is_correct=correct)
    return True


def publish_course(course, actor, today):
    """Draft → published: everyone in the audience is assigned the course now."""
    with database.atomic():
        fresh = Course.get_by_id(course.id)
        if fresh.status != DRAFT:
            raise Conflict(_('Only a draft can be published; this course is %(status)s.',
                             status=fresh.status_label))
        problems = publish_problems(fresh)
        if problems:
            raise Conflict(' '.join(problems))
        fresh.status = PUBLISHED
        fresh.published_at = utcnow()
        fresh.version += 1
        fresh.save()
        auditlog.record('publish', fresh, actor=actor, details={
            'code': fresh.code, 'audience': fresh.audience,
            'departments': sorted(fresh.department_ids())})
        added, _withdrawn = sync_course(fresh, today, actor=actor)
    return fresh, added


def publish_problems(course):
    problems = []
    if not course.material.strip() and not course.material_url:
        problems.append(_('Add the material or a link to it.'))
    if course.audience == DEPARTMENTS and not course.department_ids():
        problems.append(_('Choose the departments of the audience.'))
    if course.has_quiz and not Question.select().where(Question.course == course).exists():
        problems.append(_('The quiz has no questions.'))
    return problems


def retire_course(course, actor, today):
    """Published → retired: open assignments are withdrawn, completions stay."""
    with database.atomic():
        fresh = Course.get_by_id(course.id)
        if fresh.status != PUBLISHED:
            raise Conflict(_('Only a published course can be retired.'))
        fresh.status = RETIRED
        fresh.retired_at = utcnow()
        fresh.version += 1
        fresh.save()
        withdrawn = (Assignment.update(status=WITHDRAWN, withdrawn_on=today)
                     .where((Assignment.course == fresh.id)
                            & (Assignment.is_current == True)  # noqa: E712
                            & (Assignment.status == OPEN)).execute())
        auditlog.record('retire', fresh, actor=actor, details={'withdrawn': withdrawn})
    return fresh


def _create_cycles(course, user_ids, assigned_on, now=None):
    """Start the next cycle of ``course`` for each user (any current one ends)."""
    if not user_ids:
        return []
    now = now or utcnow()
    prior = {}
    for batch in chunked(user_ids, 500):
        prior.update(Assignment.select(Assignment.user, fn.MAX(Assignment.cycle))
                     .where((Assignment.course == course.id) & Assignment.user.in_(batch))
                     .group_by(Assignment.user).tuples())
    by_prior = {}
    for uid in user_ids:
        by_prior.setdefault(prior.get(uid) or 0, []).append(uid)
    for last_cycle, group in by_prior.items():
        if not last_cycle:
            continue
        for batch in chunked(group, 500):
            # Only the cycles read above: a cycle a concurrent sync just created stays current.
            (Assignment.update(is_current=False)
             .where((Assignment.course == course.id) & Assignment.user.in_(batch)
                    & (Assignment.is_current == True)  # noqa: E712
                    & (Assignment.cycle <= last_cycle)).execute())
    due_on = assigned_on + datetime.timedelta(days=course.due_days)
    rows = [{'course': course.id, 'user': uid, 'cycle': (prior.get(uid) or 0) + 1,
             'is_current': True, 'status': OPEN, 'assigned_on': assigned_on,
             'due_on': due_on, 'created_at': now} for uid in user_ids]
    for batch in chunked(rows, 100):
        # A concurrent sync that created the same cycle wins; ours is dropped.
        Assignment.insert_many(batch).on_conflict_ignore().execute()
    return list(user_ids)


def sync_course(course, today, actor=None, only_user_ids=None):
    """Assign ``course`` to audience members without a live assignment; withdraw leavers.

    Returns (people assigned, assignments withdrawn). Leavers' open assignments
    are withdrawn; their completed one stops counting (history is kept).
    """
    if course.status != PUBLISHED:
        return [], 0
    with database.atomic():
        members = course.member_ids()
        live = Assignment.select(Assignment.user).where(
            (Assignment.course == course.id) & (Assignment.is_current == True)  # noqa: E712
            & (Assignment.status != WITHDRAWN))
        missing = members.where(User.id.not_in(live))
        if only_user_ids is not None:
            missing = missing.where(User.id.in_(list(only_user_ids)))
        added = _create_cycles(course, [u.id for u in missing.order_by(User.id)], today)

        leaving = (Assignment.course == course.id) & (Assignment.is_current == True)  # noqa: E712
        leaving &= Assignment.user.not_in(course.member_ids())
        if only_user_ids is not None:
            leaving &= Assignment.user.in_(list(only_user_ids))
        withdrawn = (Assignment.update(status=WITHDRAWN, withdrawn_on=today)
                     .where(leaving & (Assignment.status == OPEN)).execute())
        retired = (Assignment.update(is_current=False)
                   .where(leaving & (Assignment.status == COMPLETED)).execute())
        if added or withdrawn or retired:
            auditlog.record('assign', course, actor=actor, details={
                'assigned_user_ids': added, 'withdrawn': withdrawn,
                'completed_no_longer_counted': retired})
    return added, withdrawn


def sync_user(user, today):
    """Bring one person's assignments in line with every published course (three queries
    to read: the courses, their departments and the person's current assignments; more
    only to write).

    ``user`` must have its roles loaded (``current_user`` has).
    """
    courses = list(Course.published())
    if not courses:
        return 0
    links = CourseDepartment.select().where(
        CourseDepartment.course.in_([c.id for c in courses]))
    current = Assignment.select().where(
        (Assignment.user == user.id) & (Assignment.is_current == True))  # noqa: E712
    by_course = {c.id: set() for c in courses}
    for row in links:
        if row.course_id in by_course:
            by_course[row.course_id].add(row.department_id)
    for course in courses:
        course._department_ids = frozenset(by_course[course.id])
    current = {a.course_id: a for a in current}
    to_add = [c for c in courses if c.includes(user)
              and (c.id not in current or current[c.id].status == WITHDRAWN)]
    leaving = [current[c.id] for c in courses if not c.includes(user) and c.id in current
               and current[c.id].status in (OPEN, COMPLETED)]
    if not to_add and not leaving:
        return 0
    with database.atomic():
        changed = 0
        for course in to_add:
            changed += len(_create_cycles(course, [user.id], today))
            auditlog.record('assign', course, details={'assigned_user_ids': [user.id],
                                                       'withdrawn': 0, 'by': 'sync'})
        for assignment in leaving:
            if assignment.status == OPEN:
                query = Assignment.update(status=WITHDRAWN, withdrawn_on=today)
            else:
                query = Assignment.update(is_current=False)
            changed += query.where((Assignment.id == assignment.id)
                                   & (Assignment.status == assignment.status)).execute()
            auditlog.record('withdraw', assignment, details={'course': assignment.course_id})
    return changed


def sync_all(today):
    """Every published course against its audience (the daily job)."""
    assigned = withdrawn = 0
    for course in list(Course.published()):
        added, gone = sync_course(course, today)
        assigned += len(added)
        withdrawn += gone
    return assigned, withdrawn


def _complete(assignment_id, *, source, completed_on, score=None, source_import=None):
    """Mark an open assignment completed; Conflict when it is not open any more."""
    count = (Assignment.update(status=COMPLETED, completed_at=utcnow(),
                               completed_on=completed_on, completion_source=source,
                               score=score, source_import=source_import)
             .where((Assignment.id == assignment_id) & (Assignment.status == OPEN))
             .execute())
    if count != 1:
        raise Conflict(_('This training is not open any more: it was completed or '
                         'withdrawn meanwhile.'))


def _fresh_open(assignment):
    fresh = Assignment.get_or_none(Assignment.id == assignment.id)
    if fresh is None or fresh.status == WITHDRAWN:
        raise Conflict(_('This training was withdrawn: you are no longer in its audience.'))
    if fresh.status == COMPLETED:
        raise Conflict(_('You completed this training already, on %(day)s.',
                         day=fresh.completed_on.isoformat()))
    course = Course.get_by_id(fresh.course_id)
    if course.status != PUBLISHED:
        raise Conflict(_('This course was retired; it cannot be completed any more.'))
    return fresh, course


def acknowledge(assignment, user, today):
    """Complete a course without a quiz: the person confirms reading the material."""
    with database.atomic():
        fresh, course = _fresh_open(assignment)
        if course.has_quiz:
            raise Conflict(_('This course is completed by passing its quiz.'))
        _complete(fresh.id, source=ACKNOWLEDGEMENT, completed_on=today)
        auditlog.record('complete', fresh, actor=user, details={
            'course': course.id, 'cycle': fresh.cycle, 'source': ACKNOWLEDGEMENT})
    return Assignment.get_by_id(fresh.id)


def score_answers(questions, answers):
    """(correct, total, percent rounded down) of ``answers`` {question id: choice id}."""
    total = len(questions)
    correct = 0
    for question in questions:
        right = next(c.id for c in question.choices if c.is_correct)
        if answers.get(question.id) == right:
            correct += 1
    percent = (correct * 100) // total if total else 0
    return correct, total, percent


def submit_quiz(assignment, user, attempt_number, answers, today):
    """Score one attempt on the server; a pass completes the assignment.

    ``attempt_number`` is the number the quiz form was rendered for: a second
    submission of the same form, or one after passing, is a Conflict. Every
    attempt is kept.
    """
    with database.atomic():
        fresh, course = _fresh_open(assignment)
        if not course.has_quiz:
            raise Conflict(_('This course has no quiz; acknowledge the material instead.'))
        last = (QuizAttempt.select(fn.MAX(QuizAttempt.number))
                .where(QuizAttempt.assignment == fresh.id).scalar() or 0)
        if attempt_number != last + 1:
            raise Conflict(_('This attempt was submitted already. Your result is below; '
                             'start a new attempt to try again.'))
        questions = course.questions_with_choices()
        if set(answers) != {q.id for q in questions}:
            raise ValueError('answers do not match the questions of the course')
        correct, total, percent = score_answers(questions, answers)
        passed = percent >= course.pass_mark
        try:
            with database.atomic():
                attempt = QuizAttempt.create(
                    assignment=fresh.id, user=user.id, number=attempt_number,
                    correct=correct, total=total, score=percent, passed=passed,
                    answers=json.dumps({str(k): v for k, v in sorted(answers.items())}))
        except IntegrityError:
            raise Conflict(_('This attempt was submitted already. Your result is below; '
                             'start a new attempt to try again.')) from None
        auditlog.record('quiz_attempt', attempt, actor=user, details={
            'assignment': fresh.id, 'number': attempt_number, 'score': percent,
            'passed': passed})
        if passed:
            _complete(fresh.id, source=QUIZ, completed_on=today, score=percent)
            auditlog.record('complete', fresh, actor=user, details={
                'course': course.id, 'cycle': fresh.cycle, 'source': QUIZ,
                'score': percent})
    return attempt


def recur(today):
    """Start the next cycle where a completion of a recurring course falls due again.

    The new cycle is assigned on the renewal date (completion + recurrence) and
    due ``due_days`` later, whatever day the job runs.
    """
    created = 0
    recurring = list(Course.published().where(Course.recurrence_months > 0))
    for course in recurring:
        rows = (Assignment.select(Assignment.id, Assignment.user, Assignment.completed_on)
                .where((Assignment.course == course.id)
                       & (Assignment.is_current == True)  # noqa: E712
                       & (Assignment.status == COMPLETED)
                       & Assignment.completed_on.is_null(False)
                       & Assignment.user.in_(course.member_ids())))
        by_renewal = {}
        for row in rows:
            renewal = add_months(row.completed_on, course.recurrence_months)
            if renewal <= today:
                by_renewal.setdefault(renewal, []).append(row.user_id)
        if not by_renewal:
            continue
        with database.atomic():
            for renewal, user_ids in sorted(by_renewal.items()):
                created += len(_create_cycles(course, user_ids, renewal))
            auditlog.record('recur', course, details={
                'new_cycles': sum(len(v) for v in by_renewal.values())})
    return created


def mark_overdue(today):
    """Flag open current assignments past their due date (once each)."""
    with database.atomic():
        count = (Assignment.update(overdue_marked_on=today)
                 .where((Assignment.is_current == True)  # noqa: E712
                        & (Assignment.status == OPEN) & (Assignment.due_on < today)
                        & Assignment.overdue_marked_on.is_null()
                        & Assignment.course.in_(Course.select(Course.id).where(
                            Course.status == PUBLISHED)))
                 .execute())
        if count:
            auditlog.append('mark_overdue', object_type=Assignment._meta.table_name,
                            details={'count': count, 'day': today.isoformat()})
    return count
