"""Courses, published or not, and completions for the training tests."""
import datetime
import itertools

from stintranet.auth.models import Department
from stintranet.training import services
from stintranet.training.models import Assignment, Course
from tests import factories

QUIZ = """\
? What do you do when you lose a USB memory?
- Nothing
* Report it at once
- Buy a new one

? Who may see personal data?
- Everyone in the company
* Only people whose work needs it

? Where do you keep paper records?
* In a locked cabinet
- On the desk
- In the recycling bin

? How do you send a customer list by e-mail?
- In plain text
* Encrypted, after checking the recipient
"""

DAY = datetime.date(2026, 4, 1)
_codes = itertools.count(1)


def make_course(code=None, audience='all', departments=(), recurrence_months=0, due_days=30,
                quiz='', pass_mark=None, publish=True, today=DAY, material='Read this.',
                title=None, actor=None):
    code = code or 'C-%03d' % next(_codes)
    department_ids = [(d if isinstance(d, Department) else factories.make_department(d)).id
                      for d in departments]
    course = services.save_course(None, {
        'code': code, 'title': title or 'Course %s' % code, 'description': '',
        'material': material, 'material_url': '', 'audience': audience,
        'recurrence_months': recurrence_months, 'due_days': due_days,
        'pass_mark': pass_mark if quiz else None,
    }, department_ids, quiz, actor, today)
    if publish:
        services.publish_course(course, actor, today)
    return Course.get_by_id(course.id)


def make_quiz_course(pass_mark=75, **kwargs):
    return make_course(quiz=QUIZ, pass_mark=pass_mark, **kwargs)


def current(course, user):
    """The current assignment of ``user`` for ``course`` (or None)."""
    return Assignment.get_or_none((Assignment.course == course.id)
                                  & (Assignment.user == user.id)
                                  & (Assignment.is_current == True))  # noqa: E712


def answers(course, right=4):
    """Quiz answers with ``right`` of them correct, as {question id: choice id}."""
    chosen = {}
    for index, question in enumerate(course.questions_with_choices()):
        wanted = index < right
        chosen[question.id] = next(c.id for c in question.choices if c.is_correct == wanted)
    return chosen


def form_data(course, right=4, attempt=1):
    data = {'q%d' % q: str(c) for q, c in answers(course, right).items()}
    data['attempt'] = str(attempt)
    return data
