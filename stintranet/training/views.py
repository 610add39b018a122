"""/training/: my assignments, the material and quiz, courses, imports, compliance."""
from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user

from .. import exports, refusals
from ..auth import roles as R
from ..auth.decorators import roles_required
from ..auth.forms import ConfirmForm
from ..htmx import is_htmx, vary_on_htmx
from ..inputs import int_arg
from ..pagination import paginate
from ..timezone import today_local
from . import bp, importer, models, services
from .content import quiz_to_text, render_markdown
from .forms import AcknowledgeForm, ComplianceFilterForm, CourseForm, ImportForm, QuizForm
from .models import Assignment, Course, QuizAttempt
from .people import COMPLIANCE_ROLES, CONTENT_ROLES


def own_assignment_or_404(assignment_id):
    assignment = Assignment.own(current_user, assignment_id)
    if assignment is None:
        refusals.not_found(Assignment, assignment_id)
    return assignment


def course_or_404(course_id):
    course = Course.get_or_none(Course.id == course_id)
    if course is None:
        abort(404)
    return course


@bp.route('/')
@roles_required(*CONTENT_ROLES)
def index():
    """My assignments with due dates; a newcomer to an audience is assigned on the spot."""
    today = today_local()
    services.sync_user(current_user, today)
    assignments = list(Assignment.of_user(current_user))
    current = [a for a in assignments if a.is_current or a.is_open]
    history = [a for a in assignments if not (a.is_current or a.is_open)]
    return render_template('training/index.html', current=current, history=history,
                           today=today)


def _assignment_page(assignment, quiz_form=None, ack_form=None, status=200, conflict=None):
    course = assignment.course
    questions = course.questions_with_choices() if course.has_quiz else []
    attempts = list(QuizAttempt.of_assignment(assignment))
    if course.has_quiz and quiz_form is None and assignment.is_open:
        quiz_form = QuizForm.for_questions(questions, formdata=None)
        quiz_form.attempt.data = str(len(attempts) + 1)
    if not course.has_quiz and ack_form is None:
        ack_form = AcknowledgeForm(formdata=None)
    return render_template('training/assignment.html', assignment=assignment, course=course,
                           material=render_markdown(course.material, top=3), quiz_form=quiz_form,
                           ack_form=ack_form, attempts=attempts, conflict=conflict,
                           today=today_local()), status


@bp.route('/assignments/<int:assignment_id>')
@roles_required(*CONTENT_ROLES)
def assignment(assignment_id):
    """The material, then the quiz (no answers on the page) or the acknowledgement."""
    return _assignment_page(own_assignment_or_404(assignment_id))


@bp.route('/assignments/<int:assignment_id>/acknowledge', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def acknowledge(assignment_id):
    """Complete a course without a quiz by confirming the material was read."""
    assignment = own_assignment_or_404(assignment_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _assignment_page(assignment, ack_form=form, status=422)
    try:
        services.acknowledge(assignment, current_user, today_local())
    except services.Conflict as exc:
        return _assignment_page(own_assignment_or_404(assignment_id), ack_form=form,
                                status=409, conflict=str(exc))
    flash(_('Completed: %(title)s. Thank you.', title=assignment.course.title), 'success')
    return redirect(url_for('training.assignment', assignment_id=assignment.id), 303)


@bp.route('/assignments/<int:assignment_id>/quiz', methods=['POST'])
@roles_required(*CONTENT_ROLES)
def quiz_submit(assignment_id):
    """Score the answers on the server; every attempt is kept; a failure may retry."""
    assignment = own_assignment_or_404(assignment_id)
    course = assignment.course
    if not course.has_quiz:
        return _assignment_page(assignment, status=409,
                                conflict=_('This course has no quiz.'))
    questions = course.questions_with_choices()
    form = QuizForm.for_questions(questions)
    foreign = form.foreign_answers(request.form.keys())
    attempt_number = int_arg(form.attempt.data, minimum=1)
    if foreign:
        form.validate_on_submit()
        return _assignment_page(assignment, quiz_form=form, status=422, conflict=_(
            'The answers sent are not for the questions of this course. Answer the '
            'questions below.'))
    if attempt_number is None:
        form.validate_on_submit()
        return _assignment_page(assignment, quiz_form=form, status=422, conflict=_(
            'The quiz form is incomplete; reload the page and answer again.'))
    if not form.validate_on_submit():
        return _assignment_page(assignment, quiz_form=form, status=422)
    try:
        attempt = services.submit_quiz(assignment, current_user, attempt_number,
                                       form.answers(), today_local())
    except services.Conflict as exc:
        fresh = own_assignment_or_404(assignment_id)
        return _assignment_page(fresh, quiz_form=form if fresh.is_open else None,
                                status=409, conflict=str(exc))
    return redirect(url_for('training.attempt', assignment_id=assignment.id,
                            number=attempt.number), 303)


@bp.route('/assignments/<int:assignment_id>/attempts/<int:number>')
@roles_required(*CONTENT_ROLES)
def attempt(assignment_id, number):
    """The result of one attempt: score, pass or fail, and what to do next."""
    assignment = own_assignment_or_404(assignment_id)
    found = QuizAttempt.get_or_none((QuizAttempt.assignment == assignment.id)
                                    & (QuizAttempt.number == number))
    if found is None:
        abort(404)
    return render_template('training/attempt.html', assignment=assignment,
                           course=assignment.course, attempt=found)


def certificate_context(assignment_id):
    """The person's own completed assignment for its certificate (print view and PDF);
    another person's, or one not completed, is a 404."""
    assignment = own_assignment_or_404(assignment_id)
    if not assignment.is_completed:
        abort(404)
    return {'assignment': assignment, 'course': assignment.course, 'person': current_user}


@bp.route('/assignments/<int:assignment_id>/certificate')
@roles_required(*CONTENT_ROLES)
def certificate(assignment_id):
    """A printable certificate of completion."""
    return render_template('training/certificate.html', **certificate_context(assignment_id))


@bp.route('/courses/')
@roles_required(R.COMMITTEE, R.AUDITOR)
def courses():
    """Every course with its state and progress."""
    imports = (list(importer.TrainingImport.recent())
               if current_user.has_role(R.COMMITTEE) else [])
    return render_template('training/courses.html', courses=list(Course.for_committee()),
                           imports=imports)


@bp.route('/courses/<int:course_id>')
@roles_required(R.COMMITTEE, R.AUDITOR)
def course_detail(course_id):
    """A course as the committee sees it: settings, material, quiz size, progress."""
    course = course_or_404(course_id)
    rows = models.compliance(current_user, today_local(), course_id=course.id)
    return render_template('training/course.html', course=course,
                           material=render_markdown(course.material, top=3),
                           questions=course.questions_with_choices(),
                           rows=rows, total=models.total_row(rows, _('All departments')),
                           confirm=ConfirmForm(), problems=services.publish_problems(course))


def _course_form_page(form, course, status=200, conflict=None):
    return render_template('training/course_form.html', form=form, course=course,
                           conflict=conflict), status


@bp.route('/courses/new', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def course_new():
    """Create a course as a draft; publishing assigns it."""
    form = CourseForm()
    if form.validate_on_submit():
        try:
            course = services.save_course(None, form.data_for_save(), form.departments.data,
                                          form.quiz.data, current_user, today_local())
        except services.Conflict as exc:
            return _course_form_page(form, None, 409, conflict=str(exc))
        flash(_('The draft course %(code)s was saved. Publish it to assign it.',
                code=course.code), 'success')
        return redirect(url_for('training.course_detail', course_id=course.id), 303)
    return _course_form_page(form, None, 422 if request.method == 'POST' else 200)


@bp.route('/courses/<int:course_id>/edit', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def course_edit(course_id):
    """Edit a course; the code and quiz are fixed once it is published."""
    course = course_or_404(course_id)
    if course.status == models.RETIRED:
        abort(409)
    form = CourseForm(obj=course if request.method == 'GET' else None, course=course)
    if request.method == 'GET':
        form.departments.data = sorted(course.department_ids())
        form.quiz.data = quiz_to_text(course.questions_with_choices())
        form.version.data = str(course.version)
    if form.validate_on_submit():
        version = int_arg(form.version.data)
        version = -1 if version is None else version
        try:
            services.save_course(course, form.data_for_save(), form.departments.data,
                                 form.quiz.data, current_user, today_local(),
                                 expected_version=version)
        except services.Conflict as exc:
            fresh = course_or_404(course_id)
            return _course_form_page(form, fresh, 409, conflict=str(exc))
        flash(_('The course %(code)s was saved.', code=course.code), 'success')
        return redirect(url_for('training.course_detail', course_id=course.id), 303)
    return _course_form_page(form, course, 422 if request.method == 'POST' else 200)


@bp.route('/courses/<int:course_id>/<any(publish,retire):action>', methods=['POST'])
@roles_required(R.COMMITTEE)
def course_state(course_id, action):
    """Publish a draft (assigning it) or retire a published course."""
    course = course_or_404(course_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == 'publish':
            course, added = services.publish_course(course, current_user, today_local())
            flash(_('%(code)s is published and assigned to %(n)d people.',
                    code=course.code, n=len(added)), 'success')
        else:
            services.retire_course(course, current_user, today_local())
            flash(_('%(code)s is retired; open assignments were withdrawn.',
                    code=course.code), 'success')
    except services.Conflict as exc:
        fresh = course_or_404(course_id)
        rows = models.compliance(current_user, today_local(), course_id=fresh.id)
        return render_template('training/course.html', course=fresh,
                               material=render_markdown(fresh.material, top=3),
                               questions=fresh.questions_with_choices(), rows=rows,
                               total=models.total_row(rows, _('All departments')),
                               confirm=ConfirmForm(), conflict=str(exc),
                               problems=services.publish_problems(fresh)), 409
    return redirect(url_for('training.course_detail', course_id=course.id), 303)


@bp.route('/imports/new', methods=['GET', 'POST'])
@roles_required(R.COMMITTEE)
def import_new():
    """Upload a CSV; every row is checked and a file with any error is refused whole."""
    form = ImportForm()
    rows, error = [], None
    if form.validate_on_submit():
        content = form.file.data.read(importer.MAX_BYTES + 1)
        rows, error = importer.check(content, today_local())
        if not error and all(r.ok for r in rows):
            upload = importer.store(content, form.file.data.filename, current_user, len(rows))
            return redirect(url_for('training.import_preview', import_id=upload.id), 303)
    status = 422 if request.method == 'POST' else 200
    return render_template('training/import_form.html', form=form, rows=rows,
                           file_error=error,
                           error_count=sum(1 for r in rows if not r.ok)), status


@bp.route('/imports/<int:import_id>')
@roles_required(R.COMMITTEE)
def import_preview(import_id):
    """The stored upload, validated again, with the button to import every row."""
    upload = importer.for_uploader(import_id, current_user)
    if upload is None:
        refusals.not_found(importer.TrainingImport, import_id)
    rows, error = importer.read_for_preview(upload, current_user, today_local())
    return render_template('training/import_preview.html', upload=upload, rows=rows,
                           file_error=error, error_count=sum(1 for r in rows if not r.ok),
                           confirm=ConfirmForm(),
                           applied=importer.completions_count(upload))


@bp.route('/imports/<int:import_id>/<any(apply,discard):action>', methods=['POST'])
@roles_required(R.COMMITTEE)
def import_action(import_id, action):
    """Apply all rows in one transaction (or none), or discard the upload."""
    upload = importer.for_uploader(import_id, current_user)
    if upload is None:
        refusals.not_found(importer.TrainingImport, import_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        if action == 'discard':
            importer.discard(upload, current_user)
            flash(_('The upload was discarded; nothing was imported.'), 'info')
            return redirect(url_for('training.import_new'), 303)
        count = importer.apply(upload, current_user, today_local())
    except importer.ImportRejected as exc:
        return render_template('training/import_preview.html', upload=upload, rows=exc.rows,
                               file_error=exc.error, confirm=ConfirmForm(), applied=0,
                               error_count=sum(1 for r in exc.rows if not r.ok),
                               conflict=_('Something changed since the preview: nothing was '
                                          'imported. Correct the rows marked below and '
                                          'upload the file again.')), 409
    except services.Conflict as exc:
        upload = importer.for_uploader(import_id, current_user)
        return render_template('training/import_preview.html', upload=upload, rows=[],
                               file_error=None, error_count=0, confirm=ConfirmForm(),
                               applied=importer.completions_count(upload),
                               conflict=str(exc)), 409
    flash(_('%(n)d completions were imported.', n=count), 'success')
    return redirect(url_for('training.import_preview', import_id=upload.id), 303)


def _compliance_context():
    form = ComplianceFilterForm(request.args)
    status = 200
    if request.args and not form.validate():
        status = 422
    course_id = form.course_id() if status == 200 else None
    today = today_local()
    rows = models.compliance(current_user, today, course_id=course_id)
    return form, course_id, rows, today, status


@bp.route('/compliance')
@roles_required(*COMPLIANCE_ROLES)
def compliance():
    """Assigned, completed, overdue and percentage per department, as table and chart."""
    form, course_id, rows, today, status = _compliance_context()
    total = models.total_row(rows, _('All departments'))
    chart = models.chart_data(rows, 'training-compliance-chart',
                              _('Training completion rate by department'),
                              _('Completion rate of the current cycle, in percent.'))
    template = 'training/_compliance.html' if is_htmx() else 'training/compliance.html'
    response = make_response(render_template(template, form=form, rows=rows, total=total,
                                             chart=chart, course_id=course_id, today=today),
                             status)
    return vary_on_htmx(response)


@bp.route('/compliance.<any(csv, xlsx):fmt>')
@roles_required(*COMPLIANCE_ROLES)
def compliance_export(fmt):
    """The compliance table as CSV or XLSX, the reader's departments only (audit-logged)."""
    form, course_id, rows, today, status = _compliance_context()
    if status != 200:
        abort(422)
    columns = [exports.column(key, exports.heading(key, label), value)
               for key, label, value in (
        ('department_code', pgettext('column', 'Department code'), lambda r: r.code),
        ('department', pgettext('column', 'Department'), lambda r: r.name),
        ('assigned', pgettext('column', 'Assigned'), lambda r: r.assigned),
        ('completed', pgettext('column', 'Completed'), lambda r: r.completed),
        ('overdue', pgettext('column', 'Overdue'), lambda r: r.overdue),
        ('percent', pgettext('column', 'Completion rate (%)'), lambda r: r.percent))]
    return exports.export_response(fmt, 'training-compliance', columns, rows,
                                   object_type='training_compliance',
                                   filters={'course': course_id},
                                   details={'departments': [r.code for r in rows]})


def _overdue_query():
    form = ComplianceFilterForm(request.args)
    status = 200
    if request.args.get('course') and not form.validate():
        status = 422
    course_id = form.course_id() if status == 200 else None
    today = today_local()
    return form, course_id, Assignment.overdue_visible_to(current_user, today, course_id), \
        today, status


@bp.route('/overdue')
@roles_required(*COMPLIANCE_ROLES)
def overdue():
    """Who is overdue with which course, oldest due date first."""
    form, course_id, query, today, status = _overdue_query()
    page = paginate(query)
    template = 'training/_overdue_rows.html' if is_htmx() else 'training/overdue.html'
    response = make_response(render_template(template, form=form, page=page, today=today,
                                             course_id=course_id), status)
    return vary_on_htmx(response)


@bp.route('/overdue.<any(csv, xlsx):fmt>')
@roles_required(*COMPLIANCE_ROLES)
def overdue_export(fmt):
    """The overdue list as CSV or XLSX, the reader's departments only (audit-logged)."""
    form, course_id, query, today, status = _overdue_query()
    if status != 200:
        abort(422)
    rows = list(query)
    columns = [exports.column(key, exports.heading(key, label), value)
               for key, label, value in (
        ('department_code', pgettext('column', 'Department code'),
         lambda a: a.user.department.code),
        ('name', pgettext('column', 'Name'), lambda a: a.user.name),
        ('email', pgettext('column', 'E-mail'), lambda a: a.user.email),
        ('course_code', pgettext('column', 'Course code'), lambda a: a.course.code),
        ('course', pgettext('column', 'Course'), lambda a: a.course.title),
        ('assigned_on', pgettext('column', 'Assigned on'), lambda a: a.assigned_on),
        ('due_on', pgettext('column', 'Due on'), lambda a: a.due_on),
        ('days_overdue', pgettext('column', 'Days overdue'),
         lambda a: a.days_overdue(today)))]
    return exports.export_response(fmt, 'training-overdue', columns, rows,
                                   object_type='training_overdue',
                                   filters={'course': course_id},
                                   details={'assignments': [a.id for a in rows]})


@bp.route('/courses/export.<any(csv, xlsx):fmt>')
@roles_required(R.COMMITTEE, R.AUDITOR)
def courses_export(fmt):
    """Every course with its state and progress, as CSV or XLSX (audit-logged)."""
    columns = [
        exports.column('code', _('Code')),
        exports.column('title', _('Title')),
        exports.column('state', _('State'), lambda c: str(c.status_label)),
        exports.column('audience', _('Audience'), lambda c: str(c.audience_label)),
        exports.column('recurrence_months', _('Repeats every (months)')),
        exports.column('due_days', _('Due within (days)')),
        exports.column('assigned', _('Assigned'), lambda c: c.assigned or 0),
        exports.column('completed', _('Completed'), lambda c: c.completed or 0),
        exports.column('questions', _('Quiz questions'), lambda c: c.questions or 0),
        exports.column('pass_mark', _('Pass mark (%)'),
                       lambda c: c.pass_mark if c.has_quiz else None),
    ]
    return exports.export_response(fmt, 'training-courses', columns, Course.for_committee(),
                                   object_type='course', title=_('Courses'))
