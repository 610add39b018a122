"""Ledger forms: the entry, the list filters, reviews, retirement and imports.

The entry form is also the validator of every imported row (``importing``
feeds it the row as form data), so a rule lives in one place.
"""
from collections import namedtuple

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..auth.models import Department, User
from ..forms import CheckboxesField, ChoiceField, CountryField
from ..languages import in_every_language
from . import catalogue as C
from .models import MANDATORY, join_codes

FREE_ITEM_MAX = 100
FREE_ITEMS_MAX = 30

# Lengths of the free-text fields (characters).
LIMITS = {
    'title': 200, 'purposes': 4000, 'acquisition_method': 2000, 'notice_details': 2000,
    'special_care_reason': 1000, 'storage_location': 2000, 'foreign_note': 4000,
    'access_persons': 2000, 'use_period_note': 200, 'retention_period_note': 200,
    'disposal_note': 1000, 'security_details': 4000, 'outsourcing_note': 2000,
    'third_party_note': 2000, 'guardian_consent_note': 1000,
}


# The entry form also checks imported rows: its messages name the value refused.
NOT_A_CHOICE = _l('“%(value)s” is not one of the choices.')


class ItemsField(CheckboxesField):
    """The controlled items of personal data."""


FormChoices = namedtuple('FormChoices', 'departments responsible countries')


def form_choices(user, entry=None, keep_responsible=()):
    """The choices of an entry form for ``user``: their departments and active people
    (plus the entry's current responsible person, even if since deactivated).

    Computed once per request (or import) so that validating a thousand rows
    issues no query per row.
    """
    managed = sorted(user.managed_department_ids)
    include = {entry.department_id} if entry is not None else set()
    departments = [(str(d.id), '%s — %s' % (d.code, d.name))
                   for d in Department.select().where(Department.id.in_(managed or [0]))
                   .order_by(Department.code)
                   if d.active or d.id in include]
    people = (User.select(User.id, User.name, User.email, User.active, Department.code)
              .join(Department, on=(User.department == Department.id))
              .order_by(Department.code, User.name))
    keep = set(keep_responsible)
    if entry is not None and entry.responsible_id:
        keep.add(entry.responsible_id)
    responsible = [(str(u.id), '%s — %s — %s' % (u.name, u.department.code, u.email))
                   for u in people if u.active or u.id in keep]
    return FormChoices(departments, responsible, C.countries())


def lines(text):
    return [line.strip() for line in (text or '').splitlines() if line.strip()]


class EntryForm(FlaskForm):
    department = ChoiceField(_l('Section in charge'), validators=[InputRequired()],
                             invalid_message=_l('Choose one of the departments you manage.'))
    title = StringField(_l('Business process'), validators=[
        InputRequired(), Length(max=LIMITS['title'])],
        description=_l('The business process that handles the data, e.g. '
                       '“Customer order management”.'))
    category = ChoiceField(_l('Category of personal information'),
                           choices=[('', _l('— choose —'))] + list(C.CATEGORIES),
                           invalid_message=NOT_A_CHOICE)
    items = ItemsField(_l('Items of personal data'),
                       choices=[(i.code, i.label) for i in C.ITEMS],
                       unknown_message=_l('Unknown item: %(values)s. Choose from the list, '
                                          'or write it under “Other items”.'))
    free_items = TextAreaField(_l('Other items'),
                               description=_l('Items not in the list, one per line '
                                              '(at most 30, 100 characters each).'))
    special_care_override = ChoiceField(_l('Special-care flag'),
                                        choices=list(C.SPECIAL_CARE_OVERRIDES),
                                        invalid_message=NOT_A_CHOICE,
                                        description=_l('Follows the items unless overridden; '
                                                       'an override needs a reason.'))
    special_care_reason = TextAreaField(_l('Reason for the override'), validators=[
        Length(max=LIMITS['special_care_reason'])])
    purposes = TextAreaField(_l('Purposes of use'), validators=[
        Length(max=LIMITS['purposes'])],
        description=_l('As specific as the privacy notice states them.'))
    acquisition_route = ChoiceField(_l('How acquired'),
                                    choices=[('', _l('— choose —'))] + list(C.ACQUISITION_ROUTES),
                                    invalid_message=NOT_A_CHOICE)
    acquisition_method = TextAreaField(_l('Acquisition details'), validators=[
        Length(max=LIMITS['acquisition_method'])],
        description=_l('Forms, channels or the provider the data comes from.'))
    notice_method = ChoiceField(_l('Notice of purpose or consent'),
                                choices=[('', _l('— choose —'))] + list(C.NOTICE_METHODS),
                                invalid_message=NOT_A_CHOICE)
    notice_details = TextAreaField(_l('Notice or consent details'), validators=[
        Length(max=LIMITS['notice_details'])])
    minors = ChoiceField(_l('May the data set include minors (under 18)?'),
                         choices=list(C.MINORS), default='unknown',
                         invalid_message=NOT_A_CHOICE)
    guardian_consent = ChoiceField(_l("How the legal representative's consent is obtained"),
                                   choices=[('', _l('— choose —'))]
                                   + list(C.GUARDIAN_CONSENT_METHODS),
                                   invalid_message=NOT_A_CHOICE,
                                   description=_l('Needed when the data set may include '
                                                  'minors.'))
    guardian_consent_note = TextAreaField(_l('Consent details'), validators=[
        Length(max=LIMITS['guardian_consent_note'])],
        description=_l('e.g. the consent form used, the age from which the minor consents '
                       'alone, or the law that applies.'))
    person_band = ChoiceField(_l('Number of persons'),
                              choices=[('', _l('— choose —'))] + [
                                  (str(k), v) for k, v in C.BANDS],
                              invalid_message=NOT_A_CHOICE)
    person_estimate = IntegerField(_l('Estimated number of persons'), validators=[
        Optional(), NumberRange(min=0, max=10 ** 9,
                                message=_l('Enter a number between 0 and 1,000,000,000.'))])
    medium = ChoiceField(_l('Storage medium'), choices=[('', _l('— choose —'))] + list(C.MEDIA),
                         invalid_message=NOT_A_CHOICE)
    storage_location = TextAreaField(_l('Storage location and method'), validators=[
        Length(max=LIMITS['storage_location'])],
        description=_l('System, server, folder or cabinet, and how it is kept. '
                       'Stored encrypted.'))
    storage_country = CountryField(_l('Storage country'), default=C.HOME_COUNTRY,
                                   invalid_message=_l('Choose a country from the list.'),
                                   description=_l('Type a few letters of its name and pick '
                                                  'it from the suggestions.'))
    foreign_note = TextAreaField(_l('Foreign regime and measures taken'), validators=[
        Length(max=LIMITS['foreign_note'])],
        description=_l('Needed when stored outside Japan: that country\'s personal-data '
                       'regime and the measures taken (APPI Art. 28 and 32). Stored encrypted.'))
    access_persons = TextAreaField(_l('Persons with access rights'), validators=[
        Length(max=LIMITS['access_persons'])],
        description=_l('Roles or named people. Stored encrypted.'))
    use_period_months = IntegerField(_l('Use period (months)'), validators=[
        Optional(), NumberRange(min=1, max=1200,
                                message=_l('Enter a number of months from 1 to 1200.'))])
    use_period_note = StringField(_l('Use period counted from'), validators=[
        Length(max=LIMITS['use_period_note'])],
        description=_l('e.g. “the end of the contract”.'))
    retention_period_months = IntegerField(_l('Retention period (months)'), validators=[
        Optional(), NumberRange(min=1, max=1200,
                                message=_l('Enter a number of months from 1 to 1200.'))],
        description=_l('How long the data is kept in total; not shorter than the use period.'))
    retention_period_note = StringField(_l('Retention period counted from'), validators=[
        Length(max=LIMITS['retention_period_note'])])
    disposal_methods = CheckboxesField(_l('Disposal method'), choices=list(C.DISPOSAL_METHODS),
                                       unknown_message=_l('Unknown disposal method: '
                                                          '%(values)s.'))
    disposal_note = TextAreaField(_l('Disposal details'), validators=[
        Length(max=LIMITS['disposal_note'])])
    security_measures = CheckboxesField(_l('Security measures'),
                                        choices=list(C.SECURITY_MEASURES),
                                        unknown_message=_l('Unknown security measure: '
                                                           '%(values)s.'))
    security_details = TextAreaField(_l('Security-measures details'), validators=[
        Length(max=LIMITS['security_details'])],
        description=_l('Stored encrypted.'))
    outsourced = BooleanField(_l('Handling is outsourced'))
    outsourcing_note = TextAreaField(_l('Contractors and outsourced work'), validators=[
        Length(max=LIMITS['outsourcing_note'])])
    third_party_provision = BooleanField(_l('Provided to third parties'))
    third_party_note = TextAreaField(_l('Recipients and legal basis'), validators=[
        Length(max=LIMITS['third_party_note'])])
    responsible = ChoiceField(_l('Responsible person'),
                              invalid_message=_l('Choose an active account from the list.'))
    status = ChoiceField(_l('Status'), choices=[c for c in C.STATUSES if c[0] != 'retired'],
                         default='draft', invalid_message=NOT_A_CHOICE,
                         description=_l('A draft may be incomplete; an active entry needs '
                                        'every mandatory item.'))
    version = HiddenField()

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.set_choices([('', _l('— choose —'))] + choices.departments)
        self.responsible.set_choices([('', _l('— choose —'))] + choices.responsible)
        self.storage_country.set_choices(choices.countries)

    def validate_free_items(self, field):
        items = lines(field.data)
        if len(items) > FREE_ITEMS_MAX:
            raise ValidationError(_l('At most %(n)d other items.', n=FREE_ITEMS_MAX))
        too_long = [i for i in items if len(i) > FREE_ITEM_MAX]
        if too_long:
            raise ValidationError(_l('Each item may have at most %(n)d characters: '
                                     '“%(item)s…” is longer.', n=FREE_ITEM_MAX,
                                     item=too_long[0][:30]))
        listed = [i for i in items if catalogue_code(i)]
        if listed:
            raise ValidationError(_l('“%(item)s” is in the list of items: tick it there.',
                                     item=listed[0]))

    def validate_person_estimate(self, field):
        band = self.person_band.data
        if field.data is None or not band or not str(band).isdigit():
            return
        actual = C.band_for(field.data)
        if actual != int(band):
            raise ValidationError(_l(
                'An estimate of %(n)s persons is in the band “%(actual)s”, not “%(band)s”.',
                n='{:,}'.format(field.data), actual=C.label_of(C.BANDS, actual),
                band=C.label_of(C.BANDS, int(band))))

    def validate_retention_period_months(self, field):
        use = self.use_period_months.data
        if field.data is not None and use is not None and field.data < use:
            raise ValidationError(_l(
                'The retention period (%(r)d months) is shorter than the use period '
                '(%(u)d months).', r=field.data, u=use))

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.status.data == 'active':
            ok = self._check_complete() and ok
        return ok

    def _check_complete(self):
        """An active entry needs every mandatory item and the conditional notes."""
        ok = True

        def need(field, message=None):
            nonlocal ok
            if not field.errors:
                field.errors = list(field.errors) + [
                    message or _('Required for an active entry.')]
            ok = False

        for name in MANDATORY:
            if name == 'next_review_due':
                continue
            if name == 'person_band' and self.person_estimate.data is not None:
                continue
            if name == 'items':
                if not self.items.data and not lines(self.free_items.data):
                    need(self.items, _('An active entry lists at least one item.'))
                continue
            field = getattr(self, name)
            if field.data in (None, '', []) or (isinstance(field.data, str)
                                                and not field.data.strip()):
                need(field)
        if (self.storage_country.data or C.HOME_COUNTRY) != C.HOME_COUNTRY \
                and not (self.foreign_note.data or '').strip():
            need(self.foreign_note, _(
                'Storage in %(country)s needs the note on that country\'s regime and the '
                'measures taken.', country=C.country_name(self.storage_country.data)))
        if self.special_care_override.data and not (self.special_care_reason.data or '').strip():
            need(self.special_care_reason, _('Give the reason for overriding the flag.'))
        if self.notice_method.data == 'exempt' and not (self.notice_details.data or '').strip():
            need(self.notice_details, _('Name the exception that applies.'))
        if 'other' in (self.disposal_methods.data or []) and not (
                self.disposal_note.data or '').strip():
            need(self.disposal_note, _('Describe the other disposal method.'))
        if self.outsourced.data and not (self.outsourcing_note.data or '').strip():
            need(self.outsourcing_note, _('Name the contractors and the work outsourced.'))
        if self.third_party_provision.data and not (self.third_party_note.data or '').strip():
            need(self.third_party_note, _('Name the recipients and the legal basis.'))
        if self.minors.data == 'yes' and not self.guardian_consent.data:
            need(self.guardian_consent, _("Say how the legal representative's consent is "
                                          "obtained for minors' data."))
        if self.guardian_consent.data in ('not_required', 'other') and not (
                self.guardian_consent_note.data or '').strip():
            need(self.guardian_consent_note, _('Explain the consent method chosen.'))
        return ok

    def entry_data(self):
        """The validated input as the service expects it."""
        def text(name):
            return (getattr(self, name).data or '').strip()

        def optional_int(name):
            value = getattr(self, name).data
            return int(value) if value not in (None, '') else None

        data = {name: text(name) for name in LIMITS}
        data.update({
            'department_id': int(self.department.data),
            'category': self.category.data or '',
            'items': sorted(set(self.items.data or [])),
            'free_items': sorted(set(lines(self.free_items.data))),
            'special_care_override': self.special_care_override.data or '',
            'acquisition_route': self.acquisition_route.data or '',
            'notice_method': self.notice_method.data or '',
            # An estimate alone is enough: its band follows from it.
            'person_band': optional_int('person_band') or (
                C.band_for(self.person_estimate.data)
                if self.person_estimate.data is not None else None),
            'person_estimate': self.person_estimate.data,
            'medium': self.medium.data or '',
            'storage_country': self.storage_country.data or C.HOME_COUNTRY,
            'use_period_months': self.use_period_months.data,
            'retention_period_months': self.retention_period_months.data,
            'disposal_methods': join_codes(self.disposal_methods.data),
            'security_measures': join_codes(self.security_measures.data),
            'outsourced': bool(self.outsourced.data),
            'third_party_provision': bool(self.third_party_provision.data),
            'responsible_id': optional_int('responsible'),
            'status': self.status.data or 'draft',
            'minors': self.minors.data or 'unknown',
            'guardian_consent': self.guardian_consent.data or '',
        })
        return data


def catalogue_code(text):
    """The catalogue code named by ``text`` (code, English or Japanese name), or None."""
    key = (text or '').strip().casefold()
    if not key:
        return None
    for item in C.ITEMS:
        if key in (item.code, item.ja.casefold()) or key in (
                label.casefold() for label in in_every_language(item.label)):
            return item.code
    return None


def form_data_of(entry):
    """An entry's values as the entry form's ``data`` (decrypts the encrypted fields)."""
    data = {name: getattr(entry, name) or '' for name in LIMITS}
    data.update({
        'department': str(entry.department_id),
        'category': entry.category,
        'items': entry.item_codes,
        'free_items': '\n'.join(entry.free_items),
        'special_care_override': entry.special_care_override,
        'acquisition_route': entry.acquisition_route,
        'notice_method': entry.notice_method,
        'person_band': str(entry.person_band) if entry.person_band else '',
        'person_estimate': entry.person_estimate,
        'medium': entry.medium,
        'storage_country': entry.storage_country,
        'use_period_months': entry.use_period_months,
        'retention_period_months': entry.retention_period_months,
        'disposal_methods': [c for c in entry.disposal_methods.split(',') if c],
        'security_measures': [c for c in entry.security_measures.split(',') if c],
        'outsourced': entry.outsourced,
        'third_party_provision': entry.third_party_provision,
        'responsible': str(entry.responsible_id) if entry.responsible_id else '',
        'status': entry.status if entry.status != 'retired' else 'draft',
        'minors': entry.minors,
        'guardian_consent': entry.guardian_consent,
        'version': str(entry.version),
    })
    return data


class FilterForm(FlaskForm):
    """The list's search and filters (GET)."""

    class Meta:
        csrf = False

    q = StringField(_l('Search'), id='ledger-q', validators=[Optional(), Length(max=100)],
                    description=_l('Title, purposes or reference (LE-00042).'))
    department = ChoiceField(_l('Department'), id='ledger-department', validators=[Optional()])
    category = ChoiceField(_l('Category'), id='ledger-category', validators=[Optional()],
                           choices=[('', _l('All'))] + list(C.CATEGORIES))
    status = ChoiceField(_l('Status'), id='ledger-status', validators=[Optional()],
                         choices=[('', _l('Draft and active')), ('all', _l('All, retired too'))]
                         + list(C.STATUSES))
    special_care = ChoiceField(_l('Special-care'), id='ledger-special-care',
                               validators=[Optional()],
                               choices=[('', _l('All')), ('yes', _l('Special-care only')),
                                        ('no', _l('Without special-care'))])
    medium = ChoiceField(lazy_pgettext('storage', 'Medium'), id='ledger-medium',
                         validators=[Optional()], choices=[('', _l('All'))] + list(C.MEDIA))
    storage = ChoiceField(_l('Storage'), id='ledger-storage', validators=[Optional()],
                          choices=[('', _l('All')), ('domestic', _l('In Japan')),
                                   ('abroad', _l('Outside Japan'))])
    review = ChoiceField(_l('Review'), id='ledger-review', validators=[Optional()],
                         choices=[('', _l('All')), ('overdue', _l('Overdue')),
                                  ('due', _l('Due within 30 days')),
                                  ('none', _l('No review date'))])
    item = ChoiceField(_l('Holds item'), id='ledger-item', validators=[Optional()],
                       choices=[('', _l('Any'))] + [(i.code, i.label) for i in C.ITEMS])
    outsourced = ChoiceField(_l('Outsourcing'), id='ledger-outsourced', validators=[Optional()],
                             choices=[('', _l('All')), ('yes', _l('Outsourced')),
                                      ('no', _l('Not outsourced'))])
    sort = HiddenField()

    def __init__(self, *args, departments=(), **kwargs):
        """``departments``: those the user may filter by."""
        super().__init__(*args, **kwargs)
        self.department.set_choices([('', _l('All'))] + [
            (str(d.id), '%s — %s' % (d.code, d.name)) for d in departments])

    def filters(self):
        def yes_no(value):
            return {'yes': True, 'no': False}.get(value)

        return {
            'q': (self.q.data or '').strip() or None,
            'department_id': int(self.department.data) if self.department.data else None,
            'category': self.category.data or None,
            'status': self.status.data or None,
            'special_care': yes_no(self.special_care.data),
            'medium': self.medium.data or None,
            'storage': self.storage.data or None,
            'review': self.review.data or None,
            'item': self.item.data or None,
            'outsourced': yes_no(self.outsourced.data),
        }


class ReviewForm(FlaskForm):
    note = TextAreaField(_l('Review note'), validators=[Length(max=1000)],
                         description=_l('Optional: what you checked.'))
    risk_confirmed = BooleanField(
        _l('The risk assessment still holds'),
        description=_l('The yearly review confirms the entry\'s risk assessment (JIS Q 15001 '
                       '6.1.2). If a risk or a measure changed, update the assessment '
                       'first; an assessment updated today needs no tick.'))
    version = HiddenField()


class RetireForm(FlaskForm):
    reason = TextAreaField(_l('Reason for retirement'), validators=[
        InputRequired(message=_l('Say why the entry is retired.')), Length(max=1000)],
        description=_l('e.g. “the process ended on 31 March; data disposed of”.'))
    version = HiddenField()


class ImportForm(FlaskForm):
    file = FileField(_l('Ledger file (CSV or XLSX)'),
                     description=_l('The columns of the export; the first row names them. '
                                    'Rows with a reference update that entry; rows without '
                                    'one create new entries.'))
