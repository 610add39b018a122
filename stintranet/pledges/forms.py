"""The signature and the new-version forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class SignForm(FlaskForm):
    typed_name = StringField(_l('Your full name'), validators=[
        DataRequired(message=_l('Type your name to sign.')), Length(max=120)],
        description=_l('Type your name as it appears on your account; capitals and spaces '
                       'do not matter.'))
    version = HiddenField()
    text_sha256 = HiddenField()


class VersionForm(FlaskForm):
    title = StringField(_l('Title'), validators=[DataRequired(), Length(max=200)],
                        default='Confidentiality pledge')
    text = TextAreaField(_l('Text of the pledge'), validators=[
        DataRequired(), Length(max=50000)],
        description=_l('Plain text; a blank line starts a new paragraph. Everyone will be '
                       'asked to sign this version.'))
    note = TextAreaField(_l('What changed'), validators=[Length(max=2000)],
                         description=_l('Shown to employees with the new version.'))
    based_on = HiddenField()
