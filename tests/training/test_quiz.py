"""Quizzes: no answers in the page, scoring on the server, pass mark, attempts, retries."""
import re

from stintranet.auditlog.models import AuditEvent
from stintranet.training import services
from stintranet.training.models import COMPLETED, OPEN, QuizAttempt
from tests import factories
from tests.training.factories import DAY, answers, current, form_data, make_course, make_quiz_course


def quiz_url(assignment):
    return '/training/assignments/%d/quiz' % assignment.id


def test_quiz_page_carries_no_correct_answer(client, login_as):
    """Is every choice rendered the same way, with nothing telling the correct one?"""
    user = login_as('employee')
    course = make_quiz_course()
    page = client.get('/training/assignments/%d' % current(course, user).id).text
    form = page[page.index('<form method="post" action="/training/assignments'):]
    form = form[:form.index('</form>')]
    inputs = re.findall(r'<input[^>]*type="radio"[^>]*>', form)
    assert len(inputs) == 10
    for tag in inputs:
        assert re.fullmatch(r'<input id="q\d+-\d" name="q\d+" required type="radio" '
                            r'value="\d+">', tag), tag
    assert 'correct' not in form.lower() and 'data-' not in form
    for question in course.questions_with_choices():
        right = next(c for c in question.choices if c.is_correct)
        assert 'value="%d" checked' % right.id not in form


def test_all_right_passes_and_completes(client, login_as):
    """Does a fully right attempt pass, complete the assignment and offer a certificate?"""
    user = login_as('employee')
    course = make_quiz_course()
    assignment = current(course, user)
    response = client.post(quiz_url(assignment), data=form_data(course, right=4))
    assert response.status_code == 303
    assert response.headers['Location'].endswith('/attempts/1')
    result = client.get(response.headers['Location']).text
    assert 'Passed.' in result and '100 %' in result
    done = current(course, user)
    assert done.status == COMPLETED and done.score == 100 and done.completion_source == 'quiz'
    actions = [e.action for e in AuditEvent.select().order_by(AuditEvent.seq)]
    assert 'quiz_attempt' in actions and 'complete' in actions


def test_pass_mark_is_inclusive_and_failures_may_retry(client, login_as):
    """Does 3 of 4 pass a 75 % mark, 2 of 4 fail, and a failure allow another attempt?"""
    user = login_as('employee')
    course = make_quiz_course(pass_mark=75)
    assignment = current(course, user)
    failed = client.post(quiz_url(assignment), data=form_data(course, right=2, attempt=1))
    assert failed.status_code == 303
    assert 'Not passed.' in client.get(failed.headers['Location']).text
    assert current(course, user).status == OPEN
    page = client.get('/training/assignments/%d' % assignment.id).text
    assert 'name="attempt" type="hidden" value="2"' in page
    passed = client.post(quiz_url(assignment), data=form_data(course, right=3, attempt=2))
    assert passed.status_code == 303
    attempts = list(QuizAttempt.select().order_by(QuizAttempt.number))
    assert [(a.number, a.correct, a.score, a.passed) for a in attempts] == [
        (1, 2, 50, False), (2, 3, 75, True)]
    assert current(course, user).status == COMPLETED


def test_scores_round_down():
    """Is 2 of 3 scored 66 %, so a 67 % pass mark is not reached?"""
    course = make_course(quiz='? a\n* y\n- n\n? b\n* y\n- n\n? c\n* y\n- n', pass_mark=67)
    questions = course.questions_with_choices()
    chosen = {q.id: q.choices[0].id for q in questions}
    chosen[questions[2].id] = questions[2].choices[1].id
    assert services.score_answers(questions, chosen) == (2, 3, 66)


def test_same_attempt_submitted_twice_is_409(client, login_as):
    """Is a second submission of the same form refused with 409 and nothing saved?"""
    user = login_as('employee')
    course = make_quiz_course()
    assignment = current(course, user)
    data = form_data(course, right=1, attempt=1)
    assert client.post(quiz_url(assignment), data=data).status_code == 303
    again = client.post(quiz_url(assignment), data=data)
    assert again.status_code == 409
    assert 'This attempt was submitted already' in again.text
    assert QuizAttempt.select().count() == 1


def test_quiz_after_passing_is_409(client, login_as):
    """Can a passed quiz be submitted again? (No: 409.)"""
    user = login_as('employee')
    course = make_quiz_course()
    assignment = current(course, user)
    client.post(quiz_url(assignment), data=form_data(course, right=4, attempt=1))
    again = client.post(quiz_url(assignment), data=form_data(course, right=0, attempt=2))
    assert again.status_code == 409
    assert 'completed this training already' in again.text
    assert QuizAttempt.select().count() == 1
    assert current(course, user).score == 100


def test_answers_for_another_course_are_422(client, login_as):
    """Are answers naming another course's questions refused with nothing saved?"""
    user = login_as('employee')
    mine, other = make_quiz_course(), make_quiz_course()
    response = client.post(quiz_url(current(mine, user)), data=form_data(other, right=4))
    assert response.status_code == 422
    assert 'not for the questions of this course' in response.text
    assert QuizAttempt.select().count() == 0
    assert current(mine, user).status == OPEN


def test_choice_of_another_question_is_422(client, login_as):
    """Is a choice id that belongs to another question refused with a clear message?"""
    user = login_as('employee')
    course = make_quiz_course()
    questions = course.questions_with_choices()
    data = form_data(course, right=4)
    data['q%d' % questions[0].id] = str(questions[1].choices[0].id)
    response = client.post(quiz_url(current(course, user)), data=data)
    assert response.status_code == 422
    assert 'not one of the choices of this question' in response.text
    assert QuizAttempt.select().count() == 0


def test_unanswered_question_is_422_and_keeps_answers(client, login_as):
    """Does a missing answer give 422 with the other answers still ticked?"""
    user = login_as('employee')
    course = make_quiz_course()
    questions = course.questions_with_choices()
    data = form_data(course, right=4)
    del data['q%d' % questions[3].id]
    response = client.post(quiz_url(current(course, user)), data=data)
    assert response.status_code == 422
    assert 'Answer this question.' in response.text
    assert 'checked' in response.text and response.text.count(' checked') == 3
    assert QuizAttempt.select().count() == 0


def test_quiz_without_attempt_number_is_422(client, login_as):
    """Is a quiz post without its attempt number refused?"""
    user = login_as('employee')
    course = make_quiz_course()
    data = form_data(course)
    del data['attempt']
    assert client.post(quiz_url(current(course, user)), data=data).status_code == 422


def test_acknowledging_a_quiz_course_is_409(client, login_as):
    """Can a quiz course be completed by ticking the acknowledgement? (No.)"""
    user = login_as('employee')
    course = make_quiz_course()
    response = client.post('/training/assignments/%d/acknowledge' % current(course, user).id,
                           data={'confirm': 'y'})
    assert response.status_code == 409
    assert current(course, user).status == OPEN


def test_attempt_of_someone_else_is_404(client, login_as):
    """Is another person's attempt result hidden (404)?"""
    other = factories.make_user()
    course = make_quiz_course()
    services.submit_quiz(current(course, other), other, 1, answers(course), DAY)
    login_as('employee')
    assert client.get('/training/assignments/%d/attempts/1' % current(course, other).id
                      ).status_code == 404
