"""Login and password forms."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from ..forms import options
from . import passwords

# The languages, each named in itself (a person who cannot read the page finds theirs).
LANGUAGE_NAMES = {'ja': '日本語', 'en': 'English'}
FOLLOW_DEFAULT = 'default'


class LoginForm(FlaskForm):
    email = EmailField(_l('E-mail'), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l('Password'), validators=[DataRequired(), Length(max=256)])


class PasswordPolicyMixin:
    def check_policy(self, field, email):
        errors = passwords.policy_errors(field.data or '', email)
        if errors:
            raise ValidationError(' '.join(errors))


class ChangePasswordForm(PasswordPolicyMixin, FlaskForm):
    current_password = PasswordField(_l('Current password'),
                                     validators=[DataRequired(), Length(max=256)])
    new_password = PasswordField(_l('New password'),
                                 validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(_l('Repeat the new password'), validators=[
        DataRequired(), EqualTo('new_password', message=_l('The two passwords differ.'))])

    def validate_current_password(self, field):
        if not passwords.verify_password(current_user.password_hash, field.data or ''):
            raise ValidationError(_l('This is not your current password.'))

    def validate_new_password(self, field):
        if field.data and field.data == self.current_password.data:
            raise ValidationError(_l('Choose a password different from the current one.'))
        self.check_policy(field, current_user.email)


class LanguageForm(FlaskForm):
    """The account's interface language, or none (DEFAULT_LOCALE)."""
    language = RadioField(_l('Language of the interface'),
                          validators=[DataRequired(message=_l('Choose a language.'))])

    def __init__(self, default_name, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = options(
            [(code, name) for code, name in LANGUAGE_NAMES.items()]
            + [(FOLLOW_DEFAULT, _l('The organisation\'s default (%(language)s)',
                                   language=default_name))])


class ConfirmForm(FlaskForm):
    """A one-button form for POST actions (CSRF token only)."""
