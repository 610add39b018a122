"""Incident forms: the short report, triage, awareness, reports sent, PPC texts."""
import datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
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

from ..auth import roles as R
from ..auth.models import Department, User, UserRole
from ..db import utcnow
from ..forms import HiddenNumber, VersionedForm, options
from .models import KEY_LEAKED_CHOICES, KINDS, SEVERITIES
from .services import local_to_utc, utc_to_local

LOCAL_FORMATS = ['%Y-%m-%dT%H:%M', '%Y-%m-%dT%H:%M:%S', '%Y-%m-%d %H:%M']
# Clocks of PCs differ a little; a time a few minutes ahead is still "now".
CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_PERSONS = 1_000_000_000

persons_range = NumberRange(min=0, max=MAX_PERSONS,
                            message=_l('Give a number of persons from 0 up.'))


class LocalDateTimeField(DateTimeLocalField):
    """A Japan-time date and time, with a message people understand."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l('Give the date and time, e.g. 2026-04-01 09:30.')) from None


def not_in_future(message):
    def check(form, field):
        if field.data and local_to_utc(field.data) > utcnow() + CLOCK_SKEW:
            raise ValidationError(message)
    return check


class ReportForm(FlaskForm):
    narrative = TextAreaField(
        _l('What happened?'), validators=[DataRequired(message=_l(
            'Describe what happened, even briefly.')), Length(max=10000)],
        description=_l('What you saw or did, where, and what data may be concerned. '
                       'Facts only; you can add more later.'))
    noticed_at = LocalDateTimeField(
        _l('When did you notice it?'), format=LOCAL_FORMATS,
        validators=[InputRequired(message=_l('Give the date and time, e.g. 2026-04-01 09:30.')),
                    not_in_future(_l('The time you noticed it cannot be in the future.'))],
        description=_l('Japan time. Leave it as it is if you noticed it just now.'))
    kind = RadioField(_l('What kind of incident is it?'), choices=options(KINDS),
                      default='unsure',
                      validators=[InputRequired(message=_l('Choose the kind, or "Not sure".'))])
    entry = RadioField(_l('Which data set is concerned, if you know?'), default='',
                       validate_choice=False)
    estimated_persons = IntegerField(
        _l('Roughly how many people are concerned?'), validators=[Optional(), persons_range],
        description=_l('A rough number is fine; leave it empty if you do not know.'))
    name_shown = RadioField(_l('May the reviewers see your name?'), default='yes',
                            choices=options([
                                ('yes', _l('Yes, the committee may see that I reported this')),
                                ('no', _l('No, keep my name confidential'))]),
        validators=[InputRequired(message=_l('Choose whether your name may be shown.'))])

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.entry_ids = {str(e.id) for e in entries}
        self.entry.choices = options([('', _l('I do not know'))]
                                     + [(str(e.id), e.title) for e in entries])
        if not self.is_submitted() and self.noticed_at.data is None:
            self.noticed_at.data = utc_to_local(utcnow()).replace(second=0, microsecond=0)

    def validate_entry(self, field):
        if field.data and field.data not in self.entry_ids:
            raise ValidationError(_l('Choose a data set of your department from the list.'))

    def noticed_at_utc(self):
        return local_to_utc(self.noticed_at.data)


def handler_choices(include_id=None):
    """Committee members and personal-information managers, by name (one query), plus
    the user ``include_id`` (the current handler) if no longer one of them."""
    query = (User.select(User.id, User.name, Department.code)
             .join(Department, on=(User.department == Department.id))
             .where((User.active == True)  # noqa: E712
                    & User.id.in_(UserRole.select(UserRole.user).where(
                        UserRole.role.in_([R.COMMITTEE, R.MANAGER]))))
             .order_by(User.name))
    choices = [('', _l('Nobody yet'))] + [(str(u.id), '%s (%s)' % (u.name, u.department.code))
                                         for u in query]
    if include_id and str(include_id) not in {c[0] for c in choices}:
        user = User.get_or_none(User.id == include_id)
        if user is not None:
            choices.append((str(user.id), user.name))
    return choices


class TriageForm(VersionedForm):
    handler = SelectField(_l('Handler'), validate_choice=False)
    kind = SelectField(_l('Kind'), choices=options(KINDS))
    severity = SelectField(_l('Severity'),
                           choices=options([('', _l('Not set'))] + list(SEVERITIES)))
    summary = StringField(_l('Short title'), validators=[Length(max=160)],
                          description=_l('Shown in lists. No names or other personal data.'))
    data_items = TextAreaField(_l('Items of personal data concerned'),
                               validators=[Length(max=2000)],
                               description=_l('One item per line, e.g. "Name", "Address". '
                                              'Linking a ledger entry fills them in.'))
    persons_affected = IntegerField(_l('Number of persons affected'),
                                    validators=[Optional(), persons_range],
                                    description=_l('Confirmed or estimated. More than 1,000 '
                                                   'makes the case reportable.'))
    special_care = BooleanField(_l('Special-care-required personal information is (or may be) '
                                   'involved'))
    property_damage_risk = BooleanField(_l('Misuse may cause property damage (e.g. card or '
                                           'bank details)'))
    wrongful_purpose = BooleanField(_l('A wrongful purpose is suspected (e.g. unauthorised '
                                       'access, theft by an insider)'))
    data_being_acquired = BooleanField(_l('It concerns personal information the company was '
                                          'about to acquire (e.g. a skimmed web form)'))
    advanced_encryption = BooleanField(_l('The data was protected by advanced encryption or '
                                          'an equivalent measure'))
    encryption_note = StringField(_l('How the data was protected'),
                                  validators=[Length(max=300)],
                                  description=_l('Algorithm and key management, e.g. "AES-256 '
                                                 'full-disk encryption; the key was not lost".'))
    key_leaked = RadioField(
        _l('May the key or password have leaked too?'), choices=options(KEY_LEAKED_CHOICES),
        default='unknown',
        description=_l('Asked when the data was encrypted. "Yes" or "Not known yet": the '
                       'encryption does not exempt the case, which is judged as if the data '
                       'were unencrypted.'))

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.handler.choices = options(handler_choices(incident.handler_id if incident else None))

    def validate_handler(self, field):
        if field.data and field.data not in {c.value for c in field.choices}:
            raise ValidationError(_l('Choose the handler from the list.'))

    def validate_data_being_acquired(self, field):
        if field.data and not self.wrongful_purpose.data:
            raise ValidationError(_l('This applies only when a wrongful purpose is suspected.'))

    def validate_encryption_note(self, field):
        if self.advanced_encryption.data and not (field.data or '').strip():
            raise ValidationError(_l('Say how the data was protected: the exemption needs it.'))

    def values(self):
        handler = User.get_by_id(int(self.handler.data)) if self.handler.data else None
        return {
            'handler': handler, 'kind': self.kind.data, 'severity': self.severity.data or None,
            'summary': (self.summary.data or '').strip(),
            'data_items': '\n'.join(line.strip() for line in (self.data_items.data or '')
                                    .splitlines() if line.strip()),
            'persons_affected': self.persons_affected.data,
            'special_care': self.special_care.data,
            'property_damage_risk': self.property_damage_risk.data,
            'wrongful_purpose': self.wrongful_purpose.data,
            'data_being_acquired': self.data_being_acquired.data,
            'advanced_encryption': self.advanced_encryption.data,
            'encryption_note': (self.encryption_note.data or '').strip(),
            'key_leaked': self.key_leaked.data,
        }


class AwarenessForm(VersionedForm):
    aware_at = LocalDateTimeField(
        _l('The company became aware at'), format=LOCAL_FORMATS,
        validators=[InputRequired(message=_l('Give the date and time, e.g. 2026-04-01 09:30.')),
                    not_in_future(_l('The time of awareness cannot be in the future.'))],
        description=_l('Japan time. The clocks run from here.'))
    reason = StringField(_l('Reason for the earlier time'),
                         validators=[DataRequired(message=_l('Give the reason.')),
                                     Length(max=500)],
                         description=_l('e.g. "The IT department saw the alert at this time". '
                                        'No personal data.'))

    def __init__(self, *args, incident=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.incident = incident

    def validate_aware_at(self, field):
        if field.data and self.incident is not None and \
                local_to_utc(field.data) > self.incident.reported_at:
            raise ValidationError(_l('The time of awareness cannot be after the report '
                                     '(%(t)s).', t=utc_to_local(self.incident.reported_at)
                                     .strftime('%Y-%m-%d %H:%M')))

    def aware_at_utc(self):
        return local_to_utc(self.aware_at.data)


def date_not_in_future(form, field):
    from ..timezone import today_local
    if field.data and field.data > today_local():
        raise ValidationError(_l('This date is in the future.'))


class ReportsForm(VersionedForm):
    preliminary_sent_on = DateField(_l('Preliminary report sent to the PPC on'),
                                    validators=[Optional(), date_not_in_future])
    final_sent_on = DateField(_l('Final report sent to the PPC on'),
                              validators=[Optional(), date_not_in_future])
    notice_sent_on = DateField(_l('Individuals notified on'),
                               validators=[Optional(), date_not_in_future])
    notice_count = IntegerField(_l('Number of individuals notified'),
                                validators=[Optional(), persons_range])
    notice_method = StringField(_l('How they were notified'), validators=[Length(max=200)],
                                description=_l('e.g. letter, e-mail, telephone.'))
    announcement_on = DateField(_l('Public announcement made on'),
                                validators=[Optional(), date_not_in_future])
    announcement_note = StringField(_l('Where it was announced'), validators=[Length(max=300)],
                                    description=_l('e.g. the group website, a press release.'))

    def __init__(self, *args, incident=None, aware_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.aware_on = aware_on

    def _after_awareness(self, field):
        if field.data and self.aware_on and field.data < self.aware_on:
            raise ValidationError(_l('This is before the company became aware (%(d)s).',
                                     d=self.aware_on.isoformat()))

    def validate_preliminary_sent_on(self, field):
        self._after_awareness(field)

    def validate_final_sent_on(self, field):
        self._after_awareness(field)
        if field.data and not self.preliminary_sent_on.data:
            raise ValidationError(_l('Record the preliminary report first.'))
        if field.data and self.preliminary_sent_on.data and \
                field.data < self.preliminary_sent_on.data:
            raise ValidationError(_l('The final report cannot precede the preliminary one.'))

    def validate_notice_sent_on(self, field):
        self._after_awareness(field)

    def validate(self, extra_validators=None):
        """Cross-field checks that must run even when a field is left empty."""
        valid = super().validate(extra_validators)
        count = self.notice_count
        if not count.errors:
            if self.notice_sent_on.data and count.data is None:
                count.errors = list(count.errors) + [
                    _l('Say how many individuals were notified.')]
            elif count.data is not None and not self.notice_sent_on.data:
                count.errors = list(count.errors) + [
                    _l('Give the date of the notice as well.')]
        return valid and not count.errors

    def validate_notice_method(self, field):
        if self.notice_sent_on.data and not (field.data or '').strip():
            raise ValidationError(_l('Say how the individuals were notified.'))

    def validate_announcement_on(self, field):
        self._after_awareness(field)

    def values(self):
        found = {name: getattr(self, name).data for name in (
            'preliminary_sent_on', 'final_sent_on', 'notice_sent_on', 'notice_count',
            'announcement_on')}
        for name in ('notice_method', 'announcement_note'):
            found[name] = (getattr(self, name).data or '').strip()
        return found


class PackForm(VersionedForm):
    report_cause = TextAreaField(_l('Cause'), validators=[Length(max=10000)])
    report_secondary_damage = TextAreaField(
        _l('Secondary damage or its risk'), validators=[Length(max=10000)],
        description=_l('Whether the data was misused or may be, and how.'))
    report_recurrence = TextAreaField(_l('Measures against recurrence'),
                                      validators=[Length(max=10000)],
                                      description=_l('The corrective actions are listed too.'))
    report_other = TextAreaField(_l('Other matters for reference'),
                                 validators=[Length(max=10000)])


class TransitionForm(VersionedForm):
    step = HiddenField(validators=[DataRequired()])
    note = TextAreaField(_l('Note'), validators=[Length(max=4000)],
                         description=_l('Required to reopen, close or dismiss. Not shown to '
                                        'the reporter.'))


class CommentForm(FlaskForm):
    body = TextAreaField(_l('Comment'), validators=[DataRequired(message=_l(
        'Write the comment first.')), Length(max=10000)])


class AttachmentForm(FlaskForm):
    file = FileField(_l('File (PDF, PNG or JPEG, up to 10 MB)'))


class LinkForm(VersionedForm):
    entry = HiddenNumber(minimum=1, required=False,
                         validators=[DataRequired(message=_l('Choose a ledger entry.'))])
    # Asked when the entry gives a size: which number of persons the incident concerns.
    persons = RadioField(_l('How many persons does this incident concern?'),
                         choices=options([
                             ('reporter', _l("The reporter's count")),
                             ('data_set', _l('The whole data set of the entry')),
                             ('undecided', _l('Not known yet: decide in the triage'))]),
                         validators=[Optional()])

    def offer_persons(self, incident, size):
        """The choices as they apply: the reporter's count when they gave one, the data
        set with its size."""
        choices = []
        if incident.estimated_persons is not None:
            choices.append(('reporter', _l("The reporter's count (%(num)s)",
                                           num='{:,}'.format(incident.estimated_persons))))
        choices.append(('data_set', _l('The whole data set of the entry (%(num)s)',
                                       num='{:,}'.format(size))))
        choices.append(('undecided', _l('Not known yet: decide in the triage')))
        self.persons.choices = options(choices)


class VersionForm(VersionedForm):
    """A step on the case that needs only the version it was loaded at."""
