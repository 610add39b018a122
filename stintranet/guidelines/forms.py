"""Guideline forms."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..forms import options
from .models import Guideline


class GuidelineForm(FlaskForm):
    code = StringField(_l('Code'), validators=[DataRequired(), Length(max=32)],
                       description=_l('A short fixed name, e.g. GL-PI.'))
    title = StringField(_l('Title'), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l('Text (Markdown)'), validators=[DataRequired(), Length(max=200000)],
                         description=_l('Headings, lists, tables and links; HTML is removed '
                                        'except a few harmless tags.'))
    change_note = TextAreaField(_l('What changed'), validators=[Length(max=2000)])
    based_on = HiddenField()

    def __init__(self, *args, new=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not new:
            del self.code
            self.change_note.validators = [
                DataRequired(message=_l('Say briefly what changed in this version.')),
                Length(max=2000)]

    def validate_code(self, field):
        code = (field.data or '').strip().upper()
        if not re.fullmatch(r'[A-Z0-9][A-Z0-9\-]{1,31}', code):
            raise ValidationError(_l('Use 2 to 32 capital letters, digits and hyphens.'))
        if Guideline.by_code(code) is not None:
            raise ValidationError(_l('Another guideline already has this code.'))
        field.data = code


class CompareForm(FlaskForm):
    class Meta:
        csrf = False

    old = SelectField(_l('From version'), coerce=int,
                      validators=[InputRequired(message=_l('Choose a version.'))])
    new = SelectField(_l('To version'), coerce=int,
                      validators=[InputRequired(message=_l('Choose a version.'))])

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = options((n, str(n)) for n in numbers)
        self.old.choices = choices
        self.new.choices = choices

    def validate_new(self, field):
        if self.old.data is not None and field.data == self.old.data:
            raise ValidationError(_l('Choose two different versions.'))
