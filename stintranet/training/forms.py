"""Course, quiz, acknowledgement, import and filter forms."""
import re
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..auth.models import Department
from ..forms import CheckboxesField, options
from ..inputs import int_arg
from .content import QUIZ_HELP, parse_quiz
from .models import AUDIENCES, DEPARTMENTS, Course


class CourseForm(FlaskForm):
    code = StringField(_l('Course code'), validators=[DataRequired(), Length(max=32)],
                       description=_l('Used in CSV imports, e.g. PI-BASICS. Capital letters, '
                                      'digits and hyphens; fixed once published.'))
    title = StringField(_l('Title'), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l('Description'), validators=[Length(max=2000)],
                                description=_l('One or two sentences shown in the list.'))
    material = TextAreaField(_l('Material (Markdown)'), validators=[Length(max=100000)],
                             description=_l('Headings, lists, tables and links; HTML is '
                                            'removed except a few harmless tags.'))
    material_url = StringField(_l('Link to external material'),
                               validators=[Optional(), Length(max=500)],
                               description=_l('Optional; an https:// address.'))
    audience = RadioField(_l('Audience'), choices=options(AUDIENCES.items()), default='all',
                          validators=[InputRequired(message=_l('Choose the audience.'))])
    departments = CheckboxesField(_l('Departments (for "Chosen departments")'), coerce=int)
    recurrence_months = IntegerField(
        _l('Repeat every (months)'), default=0,
        validators=[InputRequired(message=_l('Enter 0 for once, or a number of months.')),
                    NumberRange(0, 120, message=_l('Enter a number from 0 to 120.'))],
        description=_l('0 means once; 12 means yearly from each completion.'))
    due_days = IntegerField(
        _l('Days to complete'), default=30,
        validators=[InputRequired(message=_l('Enter the number of days.')),
                    NumberRange(1, 365, message=_l('Enter a number from 1 to 365.'))],
        description=_l('Counted from the day each person is assigned; a change applies to '
                       'assignments made from now on.'))
    quiz = TextAreaField(_l('Quiz (optional)'), validators=[Length(max=50000)],
                         description=_l(QUIZ_HELP))
    pass_mark = IntegerField(_l('Pass mark (%)'),
                             validators=[Optional(), NumberRange(
                                 1, 100, message=_l('Enter a percentage from 1 to 100.'))])
    version = HiddenField()

    def __init__(self, *args, course=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.course = course
        include = list(course.department_ids()) if course else []
        self.departments.set_choices(Department.choices(include=include))
        self.parsed_quiz = []
        if course is not None and not course.is_draft:
            # Fixed once published: attempts and imports refer to them.
            self.code.render_kw = {'readonly': True}
            self.pass_mark.render_kw = {'readonly': True}

    @property
    def quiz_locked(self):
        return self.course is not None and not self.course.is_draft

    def validate_code(self, field):
        if self.quiz_locked:
            field.data = self.course.code
            return
        code = (field.data or '').strip().upper()
        if not re.fullmatch(r'[A-Z0-9][A-Z0-9\-]{1,31}', code):
            raise ValidationError(_l('Use 2 to 32 capital letters, digits and hyphens.'))
        existing = Course.by_code(code)
        if existing is not None and (self.course is None or existing.id != self.course.id):
            raise ValidationError(_l('Another course already has this code.'))
        field.data = code

    def validate_material_url(self, field):
        url = (field.data or '').strip()
        parts = urlsplit(url)
        if parts.scheme not in ('https', 'http') or not parts.netloc:
            raise ValidationError(_l('Enter a full address starting with https://.'))
        field.data = url

    def validate_departments(self, field):
        if self.audience.data == DEPARTMENTS and not field.data:
            raise ValidationError(_l('Choose at least one department.'))
        known = {d.id for d in Department.select(Department.id)}
        if any(d not in known for d in field.data or []):
            raise ValidationError(_l('Choose departments from the list.'))

    def validate_quiz(self, field):
        if self.quiz_locked:
            return
        questions, errors = parse_quiz(field.data)
        if errors:
            raise ValidationError(' '.join(errors))
        self.parsed_quiz = questions

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.quiz_locked:
            self.pass_mark.errors = []
            self.pass_mark.data = self.course.pass_mark
            ok = not any(self.errors.values())
        elif not self.pass_mark.errors:
            # Checked here, not in validate_pass_mark: Optional() skips an empty field.
            has_quiz = bool((self.quiz.data or '').strip())
            if has_quiz and self.pass_mark.data is None:
                self.pass_mark.errors.append(_l('A quiz needs a pass mark.'))
                ok = False
            if not has_quiz and self.pass_mark.data is not None:
                self.pass_mark.errors.append(
                    _l('Leave the pass mark empty when there is no quiz.'))
                ok = False
        if not (self.material.data or '').strip() and not self.material_url.data:
            self.material.errors.append(_l('Write the material or give a link to it.'))
            ok = False
        return ok

    def data_for_save(self):
        return {
            'code': self.code.data, 'title': self.title.data.strip(),
            'description': self.description.data or '', 'material': self.material.data or '',
            'material_url': self.material_url.data or '', 'audience': self.audience.data,
            'recurrence_months': self.recurrence_months.data, 'due_days': self.due_days.data,
            'pass_mark': self.pass_mark.data,
        }


class AcknowledgeForm(FlaskForm):
    confirm = BooleanField(_l('I have read the material and will follow it.'),
                           validators=[DataRequired(message=_l(
                               'Tick the box to confirm you read the material.'))])


class QuizForm(FlaskForm):
    """One radio group per question, built from the course; no correct flags anywhere."""
    attempt = HiddenField()

    @classmethod
    def for_questions(cls, questions, *args, **kwargs):
        attrs = {}
        for question in questions:
            attrs[question.field_name] = RadioField(
                question.text,
                choices=options((str(c.id), c.text) for c in question.choices),
                validators=[InputRequired(message=_l('Answer this question.'))],
                invalid_choice_message=_l('This answer is not one of the choices of this '
                                          'question.'))
        form_class = type('CourseQuizForm', (cls,), attrs)
        form = form_class(*args, **kwargs)
        form.questions = questions
        return form

    def question_fields(self):
        return [self[q.field_name] for q in self.questions]

    def foreign_answers(self, submitted_keys):
        """Names of posted answers that are not questions of this course."""
        own = {q.field_name for q in self.questions}
        return sorted(k for k in submitted_keys if re.fullmatch(r'q\d+', k) and k not in own)

    def answers(self):
        return {q.id: int(self[q.field_name].data) for q in self.questions}


class ImportForm(FlaskForm):
    file = FileField(_l('CSV or XLSX file'),
                     validators=[FileRequired(message=_l('Choose a CSV or XLSX file.'))],
                     description=_l('Columns: email, course_code, completed_on (YYYY-MM-DD), '
                                    'score, or in Japanese メールアドレス, コースコード, 修了日, '
                                    '得点. UTF-8 or Excel (Shift_JIS) CSV, or an Excel '
                                    'workbook (first sheet), up to 2 MB.'))


class ComplianceFilterForm(FlaskForm):
    class Meta:
        csrf = False

    course = SelectField(_l('Course'), validators=[Optional()], default='')

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.course.choices = options([('', _l('All published courses'))] + [
            (str(c.id), '%s — %s' % (c.code, c.title)) for c in Course.published()])

    def course_id(self):
        value = self.course.data or ''
        return int_arg(value, minimum=1)
