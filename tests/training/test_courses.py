"""The committee's course pages: create, validate, edit, publish; material sanitised."""
from stintranet.auditlog.models import AuditEvent
from stintranet.training.content import parse_quiz, render_markdown
from stintranet.training.models import Assignment, Choice, Course, Question
from tests import factories
from tests.training.factories import QUIZ, make_course


def course_form(**changes):
    data = {'code': 'PI-2026', 'title': 'Protection basics 2026', 'description': 'Yearly.',
            'material': '# Duties\n\nReport leaks at once.', 'material_url': '',
            'audience': 'all', 'recurrence_months': '12', 'due_days': '30',
            'quiz': QUIZ, 'pass_mark': '75'}
    data.update(changes)
    return data


def test_committee_creates_and_publishes_a_quiz_course(client, login_as):
    """Can the committee create a draft quiz course and publish it to everyone?"""
    chair = login_as('committee', department='LEGAL')
    staff = [factories.make_user() for _ in range(3)]
    response = client.post('/training/courses/new', data=course_form())
    assert response.status_code == 303
    course = Course.get(Course.code == 'PI-2026')
    assert course.status == 'draft' and course.pass_mark == 75
    assert Question.select().where(Question.course == course).count() == 4
    assert Choice.select().where(Choice.is_correct == True).count() == 4  # noqa: E712
    assert Assignment.select().count() == 0
    published = client.post('/training/courses/%d/publish' % course.id)
    assert published.status_code == 303
    assert Assignment.select().where(Assignment.course == course.id).count() == len(staff) + 1
    event = AuditEvent.select().where(AuditEvent.action == 'publish').get()
    assert event.actor_id == chair.id and event.object_id == str(course.id)
    again = client.post('/training/courses/%d/publish' % course.id)
    assert again.status_code == 409
    assert 'Only a draft can be published' in again.text


def test_invalid_course_is_422_and_keeps_input(client, login_as):
    """Do a bad code, a missing department and a broken quiz give 422 with the input kept?"""
    login_as('committee', department='LEGAL')
    response = client.post('/training/courses/new', data=course_form(
        code='bad code!', audience='departments', quiz='? Only one choice\n* yes\nnot a line',
        material_url='javascript:alert(1)'))
    assert response.status_code == 422
    page = response.text
    assert 'Use 2 to 32 capital letters' in page
    assert 'Choose at least one department' in page
    assert 'Line 3: start the line with' in page
    assert 'needs two to eight choices' in page
    assert 'Enter a full address starting with https://' in page
    assert 'value="Protection basics 2026"' in page
    assert Course.select().count() == 0


def test_quiz_and_pass_mark_go_together(client, login_as):
    """Is a quiz without a pass mark, or a pass mark without a quiz, refused?"""
    login_as('committee', department='LEGAL')
    assert 'A quiz needs a pass mark' in client.post(
        '/training/courses/new', data=course_form(pass_mark='')).text
    no_quiz = client.post('/training/courses/new', data=course_form(quiz=''))
    assert no_quiz.status_code == 422
    assert 'Leave the pass mark empty' in no_quiz.text


def test_duplicate_code_is_refused(client, login_as):
    """Is a second course with the same code refused?"""
    login_as('committee', department='LEGAL')
    make_course(code='PI-2026', publish=False)
    response = client.post('/training/courses/new', data=course_form(code='pi-2026'))
    assert response.status_code == 422
    assert 'Another course already has this code' in response.text


def test_stale_edit_is_409(client, login_as):
    """Does saving over a newer version answer 409 with the other version shown?"""
    login_as('committee', department='LEGAL')
    course = make_course(code='PI-2026', publish=False, quiz=QUIZ, pass_mark=75)
    form = course_form(version=str(course.version), title='Mine')
    other = course_form(version=str(course.version), title='Theirs')
    assert client.post('/training/courses/%d/edit' % course.id, data=other).status_code == 303
    stale = client.post('/training/courses/%d/edit' % course.id, data=form)
    assert stale.status_code == 409
    assert 'changed this course meanwhile' in stale.text
    assert '<dd>Theirs</dd>' in stale.text and 'value="Mine"' in stale.text
    assert Course.get_by_id(course.id).title == 'Theirs'


def test_published_course_keeps_its_quiz_and_code(client, login_as):
    """After publishing, does an edit leave the code, quiz and pass mark as they were?"""
    login_as('committee', department='LEGAL')
    course = make_course(code='PI-2026', quiz=QUIZ, pass_mark=75)
    page = client.get('/training/courses/%d/edit' % course.id).text
    assert 'The quiz and pass mark are fixed' in page and 'name="quiz"' not in page
    response = client.post('/training/courses/%d/edit' % course.id, data=course_form(
        code='OTHER', pass_mark='10', quiz='? x\n* a\n- b', title='Renamed',
        version=str(course.version)))
    assert response.status_code == 303
    fresh = Course.get_by_id(course.id)
    assert (fresh.code, fresh.pass_mark, fresh.title) == ('PI-2026', 75, 'Renamed')
    assert Question.select().where(Question.course == course).count() == 4


def test_audience_change_of_a_published_course_syncs_at_once(client, login_as):
    """Does narrowing a published course's audience withdraw the others' open assignments?"""
    login_as('committee', department='LEGAL')
    sales = factories.make_user(department='SALES')
    hr = factories.make_user(department='HR')
    course = make_course(code='PI-2026')
    response = client.post('/training/courses/%d/edit' % course.id, data=course_form(
        audience='departments', departments=[str(factories.make_department('SALES').id)],
        quiz='', pass_mark='', version=str(course.version)))
    assert response.status_code == 303
    states = {a.user_id: a.status for a in Assignment.select().where(
        Assignment.course == course.id)}
    assert states[sales.id] == 'open' and states[hr.id] == 'withdrawn'


def test_publishing_needs_material(client, login_as):
    """Is a course without material or link refused at creation?"""
    login_as('committee', department='LEGAL')
    response = client.post('/training/courses/new', data=course_form(material=''))
    assert response.status_code == 422
    assert 'Write the material or give a link to it' in response.text


def test_only_the_committee_manages_courses(client, login_as):
    """Are a manager's and an auditor's course writes refused with 403?"""
    course = make_course(publish=False)
    login_as('employee', 'manager')
    assert client.post('/training/courses/new', data=course_form()).status_code == 403
    assert client.post('/training/courses/%d/publish' % course.id).status_code == 403
    assert Course.get_by_id(course.id).status == 'draft'


def test_material_is_sanitised():
    """Are scripts, styles, handlers and unsafe links removed, and links made noopener?"""
    html = str(render_markdown(
        '# Title\n\n<script>alert(1)</script>\n\n<p onclick="x()" style="color:red">hi</p>\n\n'
        '[ok](https://example.com) [bad](javascript:alert(1)) <iframe src="x"></iframe>\n\n'
        '<img src="https://example.com/x.png">'))
    assert '<script' not in html and 'onclick' not in html and 'style=' not in html
    assert 'javascript:' not in html and '<iframe' not in html and '<img' not in html
    assert '<a href="https://example.com" rel="noopener noreferrer">ok</a>' in html
    assert '<h2>Title</h2>' in html and '<h1' not in html


def test_quiz_text_format():
    """Does the quiz text parse into questions with exactly one correct choice each?"""
    questions, errors = parse_quiz(QUIZ)
    assert errors == []
    assert [len(q.choices) for q in questions] == [3, 2, 3, 2]
    assert all(sum(ok for _t, ok in q.choices) == 1 for q in questions)
    _q, errors = parse_quiz('- before\n? two right\n* a\n* b')
    assert any('comes before any question' in e for e in errors)
    assert any('exactly one correct choice' in e for e in errors)


def test_material_page_for_the_employee(client, login_as):
    """Does the employee's course page show the sanitised material and external link?"""
    user = login_as('employee')
    course = make_course(material='**Bold** <script>bad()</script>')
    course.material_url = 'https://training.example.com/pi'
    course.save()
    assignment = Assignment.get(Assignment.user == user.id)
    page = client.get('/training/assignments/%d' % assignment.id).text
    assert '<strong>Bold</strong>' in page and 'bad()' not in page.split('</head>')[1]
    assert 'href="https://training.example.com/pi" rel="noopener noreferrer"' in page


def test_course_list_counts(client, login_as):
    """Does the course list show each course's completions and quiz size correctly?"""
    login_as('committee', department='LEGAL')
    users = [factories.make_user() for _ in range(2)]
    course = make_course(code='PI-2026', quiz=QUIZ, pass_mark=75)
    from stintranet.training import services
    from tests.training.factories import DAY, answers, current
    services.submit_quiz(current(course, users[0]), users[0], 1, answers(course), DAY)
    rows = {c.code: c for c in Course.for_committee()}
    assert (rows['PI-2026'].assigned, rows['PI-2026'].completed,
            rows['PI-2026'].questions) == (3, 1, 4)
    page = client.get('/training/courses/').text
    assert '<td>1 / 3</td>' in page and '4 questions, 75 %' in page
