"""Demo data: two published courses (one with a quiz), partial completion, some overdue."""
import datetime

from .. import seed
from ..timezone import today_local
from . import services
from .models import ALL, DEPARTMENTS, Assignment, Course

BASICS_MATERIAL = """\
# Why this matters

The S.T. Group handles personal information of customers, employees, applicants,
shareholders and business partners. The Act on the Protection of Personal
Information and our privacy policy bind every one of us.

## Your duties

1. Use personal information **only for the purposes notified** to the person.
2. Take out of the office only what the personal-information manager approved.
3. Lock screens and cabinets; never leave printouts on the printer.
4. Send personal data by e-mail only encrypted, and check the recipient twice.
5. Report a suspected leak, loss or wrong transmission **at once**, even outside
   working hours: the company has 3 to 5 days to make its preliminary report to
   the Personal Information Protection Commission.

## Special-care-required personal information

Race, creed, social status, medical history, criminal record and similar items
need the person's prior consent to acquire. Ask your manager before you collect
them.

| Situation | What to do |
|---|---|
| Lost a laptop or USB memory | Report it in stintranet under *Incidents* at once |
| E-mail sent to the wrong person | Ask the recipient to delete it, then report |
| A customer asks what we hold about them | Pass the request to the Customer Center |
"""

BASICS_QUIZ = """\
? You notice an e-mail with a customer list went to the wrong address. What do you do first?
- Wait to see whether the recipient replies
* Report it at once in stintranet, even if it seems minor
- Delete the sent e-mail so nobody knows

? How soon must the company make a preliminary report of a reportable breach?
- Within 30 days
* Within 3 to 5 days of becoming aware
- Only when the media learn of it

? Which of these is special-care-required personal information?
- A business card
* A person's medical history
- A customer's order history

? A customer asks for a copy of the data we hold about them. Who handles it?
- Whoever took the call, by e-mail the same day
* The Customer Center, after verifying the requester's identity
- Nobody: we do not disclose data
"""

MEDIA_MATERIAL = """\
# Devices and storage media

* Use only company-issued, encrypted USB memory; register each one with your
  manager.
* Carrying media out of the office needs the manager's approval in the register.
* Media are disposed of by deletion software or physical destruction, with a
  witness and a certificate.
* Paper holding personal data goes into the locked shredding box, never the bin.
"""

MYNUMBER_MATERIAL = """\
# Handling Individual Numbers (My Number)

Only the staff named in the handling rules may collect, use or store Individual
Numbers, and only for social security and tax procedures.
"""


@seed.register(300)
def seed_training(context):
    users, departments = context['users'], context['departments']
    chair = users['chair']
    today = today_local()
    basics = services.save_course(None, {
        'code': 'PI-BASICS', 'title': 'Personal information protection basics',
        'description': 'The yearly course every employee takes: duties, special-care data '
                       'and what to do when something goes wrong.',
        'material': BASICS_MATERIAL, 'material_url': '', 'audience': ALL,
        'recurrence_months': 12, 'due_days': 30, 'pass_mark': 75,
    }, [], BASICS_QUIZ, chair, today)
    services.publish_course(basics, chair, today - datetime.timedelta(days=45))
    basics = Course.get_by_id(basics.id)
    questions = basics.questions_with_choices()
    right = {q.id: next(c.id for c in q.choices if c.is_correct) for q in questions}
    wrong = dict(right)
    first, second = questions[0], questions[1]
    wrong[first.id] = next(c.id for c in first.choices if not c.is_correct)
    wrong[second.id] = next(c.id for c in second.choices if not c.is_correct)
    passed = ['chair', 'committee', 'auditor', 'cc', 'manager.sales', 'manager.hr', 'bob']
    for offset, local in enumerate(passed):
        assignment = _assignment(basics, users[local])
        number = 1
        if local == 'bob':  # a failed attempt first, kept with the pass
            services.submit_quiz(assignment, users[local], 1, wrong,
                                 today - datetime.timedelta(days=31))
            number = 2
        services.submit_quiz(assignment, users[local], number, right,
                             today - datetime.timedelta(days=40 - offset * 3))
    # Carol tried once and failed; alice and manager.it have not started: all overdue.
    services.submit_quiz(_assignment(basics, users['carol']), users['carol'], 1, wrong,
                         today - datetime.timedelta(days=20))

    media = services.save_course(None, {
        'code': 'MEDIA-HANDLING', 'title': 'Handling devices and storage media',
        'description': 'For the departments that carry customer data on devices.',
        'material': MEDIA_MATERIAL, 'material_url': '', 'audience': DEPARTMENTS,
        'recurrence_months': 0, 'due_days': 30, 'pass_mark': None,
    }, [departments[c].id for c in ('SALES', 'IT', 'CC')], '', chair, today)
    services.publish_course(media, chair, today - datetime.timedelta(days=10))
    media = Course.get_by_id(media.id)
    for local in ('manager.sales', 'cc'):
        services.acknowledge(_assignment(media, users[local]), users[local],
                             today - datetime.timedelta(days=5))

    services.save_course(None, {
        'code': 'MYNUMBER', 'title': 'Handling Individual Numbers (My Number)',
        'description': 'For the staff who process social security and tax procedures.',
        'material': MYNUMBER_MATERIAL, 'material_url': '', 'audience': DEPARTMENTS,
        'recurrence_months': 12, 'due_days': 14, 'pass_mark': None,
    }, [departments['HR'].id], '', chair, today)
    services.mark_overdue(today)


def _assignment(course, user):
    return Assignment.get((Assignment.course == course.id) & (Assignment.user == user.id)
                          & (Assignment.is_current == True))  # noqa: E712
