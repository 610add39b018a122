"""Login and password forms."""
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from . import passwords


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


class ConfirmForm(FlaskForm):
    """A one-button form for POST actions (CSRF token only)."""
