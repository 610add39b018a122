"""Forms of the registers; cross-field rules live in ``validate_<field>``."""
import datetime
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from .. import legaldates
from ..auth import roles as R
from ..auth.models import Department, User, UserRole
from ..forms import (
    CheckboxesField,
    ChoiceField,
    CountryField,
    MultiChoiceField,
    VersionedForm,
    choice_values,
    not_in_future,
    optional_date,
    required_date,
)
from ..inputs import int_arg
from ..ledger import catalogue as ledger_catalogue
from ..ledger.models import LedgerEntry
from ..timezone import today_local
from ..uploads import UploadError, read_upload
from . import catalogue as C
from .models import Asset, Contractor, PurposeChange

TAG = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._/\-]{0,39}$')
CHOOSE = ('', _l('Choose…'))


# Optional() would stop the chain before the inline ``validate_<field>`` rules, which
# make some fields required by the value of another: empty text is simply empty.
def text(label, max_length, required=False, **kwargs):
    validators = [DataRequired(message=_l('This field is required.'))] if required else []
    return StringField(label, validators=validators + [Length(max=max_length)],
                       filters=[strip], **kwargs)


def area(label, max_length, required=False, **kwargs):
    validators = [DataRequired(message=_l('This field is required.'))] if required else []
    kwargs.setdefault('render_kw', {'rows': 3})
    return TextAreaField(label, validators=validators + [Length(max=max_length)],
                         filters=[strip], **kwargs)


def strip(value):
    return value.strip() if isinstance(value, str) else value


def blank(value):
    return not (value or '').strip()


def people_choices(include=()):
    """Active people with any role but administration only, by department and name."""
    content = UserRole.select(UserRole.user).where(UserRole.role != R.ADMIN)
    query = (User.select(User.id, User.name, User.active, Department.code)
             .join(Department, on=(User.department == Department.id))
             .where(User.id.in_(content) & ((User.active == True)  # noqa: E712
                                            | User.id.in_(list(include) or [0])))
             .order_by(Department.code, User.name))
    return [(u.id, '%s — %s' % (u.name, u.department.code)) for u in query]


def managed_departments(user, include=None):
    ids = sorted(user.managed_department_ids) if user.has_role(R.MANAGER) else []
    query = Department.select().where(Department.id.in_(ids or [0])).order_by(Department.code)
    return [(d.id, '%s — %s' % (d.code, d.name)) for d in query
            if d.active or d.id == include]


def entry_choices(user, include=(), outsourced_only=False, every_department=False):
    """Ledger entries offered for linking: those of the user's departments (every
    department for the committee's contractor form), not retired, plus ``include``."""
    include = list(include or ())
    query = (LedgerEntry.select(LedgerEntry.id, LedgerEntry.title, LedgerEntry.status,
                                LedgerEntry.outsourced, Department.code)
             .join(Department, on=(LedgerEntry.department == Department.id)))
    if not every_department:
        ids = sorted(user.managed_department_ids) if user.has_role(R.MANAGER) else []
        query = query.where(LedgerEntry.department.in_(ids or [0]))
    wanted = LedgerEntry.status != 'retired'
    if outsourced_only:
        wanted &= LedgerEntry.outsourced == True  # noqa: E712
    query = query.where(wanted | LedgerEntry.id.in_(include or [0]))
    return [(e.id, '%s — %s — %s' % (e.reference, e.department.code, e.title))
            for e in query.order_by(Department.code, LedgerEntry.title)]


def linked_in_scope(user, entry_ids):
    """The linked entries that ``user`` manages (retired ones included)."""
    if not entry_ids or not user.has_role(R.MANAGER):
        return []
    return [e.id for e in LedgerEntry.select(LedgerEntry.id).where(
        LedgerEntry.id.in_(list(entry_ids))
        & LedgerEntry.department.in_(sorted(user.managed_department_ids) or [0]))]


def country_choices():
    return ledger_catalogue.countries()


def ids(values):
    return [int(v) for v in values or () if int_arg(str(v)) is not None]


class ContractorForm(VersionedForm):
    name = text(_l('Company name'), 200, required=True)
    services = area(_l('Services entrusted'), 2000, required=True,
                    description=_l('What the contractor does with the personal data, e.g. '
                                   '“delivery of orders”, “payroll calculation”.'))
    contact = area(_l('Contact persons'), 1000,
                   description=_l('Names, e-mail addresses and telephone numbers at the '
                                  'contractor. Stored encrypted; reading it is logged.'))
    countries = MultiChoiceField(_l('Countries where the data is handled'),
                                 description=_l('Hold Ctrl (⌘ on a Mac) to choose several.'),
                                 render_kw={'size': 6})
    foreign_measures = area(_l('Foreign regime and measures taken'), 4000,
                            description=_l('Required when any country is not Japan (APPI '
                                           'Art. 28): the country\'s personal-information '
                                           'regime and the measures the contractor takes.'))
    agreement_signed_on = optional_date(_l('Confidentiality agreement signed on'),
                                        not_in_future)
    agreement_expires_on = optional_date(
        _l('Agreement expires on'),
        description=_l('Leave empty when the agreement runs until it is terminated. '
                       'Agreements are flagged 30 days before they expire.'))
    agreement_file = FileField(_l('Signed copy (PDF, PNG or JPEG)'),
                               description=_l('Uploading a new copy keeps the earlier ones. '
                                              'After a correction, choose the file again.'))
    next_check_due = optional_date(_l('First supervision check due'))
    ended_on = optional_date(_l('Contract ended on'), not_in_future,
                             description=_l('Only when the company no longer handles data '
                                            'for us; ended contractors are not flagged.'))
    entries = CheckboxesField(_l('Ledger entries entrusted to this contractor'),
                              description=_l('Entries marked “Outsourced” in the ledger.'))

    def __init__(self, *args, user=None, contractor=None, **kwargs):
        super().__init__(*args, new=contractor is None, **kwargs)
        self.contractor = contractor
        self.upload = None
        self.countries.set_choices(country_choices())
        linked = getattr(contractor, 'linked_entry_ids', ()) if contractor else ()
        self.entries.set_choices(entry_choices(user, include=linked, outsourced_only=True,
                                               every_department=True))
        if contractor is None:
            del self.ended_on
            self.next_check_due.validators = [
                InputRequired(message=_l('Enter the date as YYYY-MM-DD.'))]
            self.next_check_due.flags.required = True
        else:
            del self.next_check_due

    def validate_countries(self, field):
        if not field.data:
            raise ValidationError(_('Choose at least one country.'))

    def validate_foreign_measures(self, field):
        if any(code != 'JP' for code in self.countries.data or ()) and blank(field.data):
            raise ValidationError(_('Describe the foreign regime and the measures taken: the '
                                    'data is handled outside Japan.'))

    def validate_agreement_expires_on(self, field):
        signed = self.agreement_signed_on.data
        if field.data is None:
            return
        if signed is None and not self.agreement_signed_on.errors:
            raise ValidationError(_('Enter the signature date as well.'))
        if signed is not None and field.data <= signed:
            raise ValidationError(_('The agreement cannot expire before it was signed '
                                    '(%(day)s).', day=signed.isoformat()))

    def validate_agreement_file(self, field):
        storage = field.data
        if storage is None or not getattr(storage, 'filename', ''):
            return
        try:
            self.upload = read_upload(storage)
        except UploadError as exc:
            raise ValidationError(str(exc)) from None
        if self.agreement_signed_on.data is None:
            raise ValidationError(_('Enter the date the agreement was signed with its copy.'))

    def validate_next_check_due(self, field):
        if field.data is not None and field.data > today_local() + datetime.timedelta(
                days=3 * 366):
            raise ValidationError(_('Plan the first check within three years.'))

    def service_data(self):
        data = {name: getattr(self, name).data for name in (
            'name', 'services', 'contact', 'countries', 'foreign_measures',
            'agreement_signed_on', 'agreement_expires_on')}
        data['foreign_measures'] = data['foreign_measures'] or ''
        data['services'] = data['services'] or ''
        data['entry_ids'] = ids(self.entries.data)
        if 'next_check_due' in self:
            data['next_check_due'] = self.next_check_due.data
        if 'ended_on' in self:
            data['ended_on'] = self.ended_on.data
        return data


class CheckForm(FlaskForm):
    checked_on = required_date(_l('Checked on'), not_in_future)
    method = ChoiceField(_l('How it was checked'), choices=[CHOOSE] + list(C.CHECK_METHODS),
                         validators=[InputRequired(message=_l('Choose how it was checked.'))])
    result = ChoiceField(_l('Result'), choices=[CHOOSE] + list(C.CHECK_RESULTS),
                         validators=[InputRequired(message=_l('Choose the result.'))])
    note = area(_l('Findings'), 2000, description=_l('Required unless the result is '
                                                     'satisfactory.'))
    next_due = required_date(_l('Next check due'))

    def validate_note(self, field):
        if self.result.data and self.result.data != 'satisfactory' and blank(field.data):
            raise ValidationError(_('Describe what must improve.'))

    def validate_next_due(self, field):
        checked = self.checked_on.data
        if field.data is None or checked is None:
            return
        if field.data <= checked:
            raise ValidationError(_('The next check must come after this one (%(day)s).',
                                    day=checked.isoformat()))
        if field.data > checked + datetime.timedelta(days=3 * 366):
            raise ValidationError(_('Plan the next check within three years.'))

    def service_data(self):
        return {'checked_on': self.checked_on.data, 'method': self.method.data,
                'result': self.result.data, 'note': self.note.data or '',
                'next_due': self.next_due.data}


class ProvisionForm(VersionedForm):
    entry = ChoiceField(_l('Ledger entry'), validators=[
        InputRequired(message=_l('Choose the ledger entry whose data was provided.'))],
        invalid_message=_l('Choose an entry of a department you manage.'))
    basis = ChoiceField(_l('Legal basis'), choices=[CHOOSE] + list(C.BASES), validators=[
        InputRequired(message=_l('Choose the legal basis.'))])
    recipient_name = text(_l('Recipient'), 200, required=True,
                          description=_l('The company or person the data was provided to.'))
    recipient_address = area(_l('Recipient\'s address'), 500)
    recipient_representative = text(_l('Recipient\'s representative'), 200,
                                     description=_l('For a company: its representative\'s '
                                                    'name.'))
    recipient_country = CountryField(_l('Recipient\'s country'), default='JP',
                                     description=_l('Type a few letters of its name and pick '
                                                    'it from the suggestions.'))
    provided_on = required_date(_l('Provided on (or from)'), not_in_future)
    provided_until = optional_date(_l('Provided until'), not_in_future,
                                   description=_l('For a period of continuing provision: the '
                                                  'last provision so far. Update it as '
                                                  'provision continues; the keep-until date '
                                                  'follows.'))
    record_case = ChoiceField(_l('How the record is kept'), choices=C.RECORD_CASES,
                              default='each', validators=[InputRequired()])
    recorded_on = required_date(_l('Record made on'), not_in_future, default=today_local)
    persons_description = area(_l('Persons concerned'), 2000,
                               description=_l('Whose data was provided, or what identifies '
                                              'them (e.g. “customers who applied for the '
                                              'credit card in May”).'))
    items = area(_l('Items of personal data provided'), 2000)
    person_count = IntegerField(_l('Number of persons'), validators=[
        Optional(), NumberRange(min=1, max=200_000_000,
                                message=_l('Enter a whole number from 1.'))])
    consent_evidence = area(_l('Evidence of consent'), 2000,
                            description=_l('How and when consent was obtained, and where the '
                                           'proof is kept.'))
    note = area(_l('Note'), 2000,
                description=_l('For law, outsourcing, business succession and joint use: no '
                               'record is required, keep a note of the law, contract or '
                               'joint-use notice instead.'))
    keep_until = optional_date(_l('Keep until'),
                               description=_l('Leave empty to keep the record until the day '
                                              'APPI requires it (1 year from the last '
                                              'provision, that day being day 1, or 3 years, '
                                              'by how it is kept); a later date keeps it '
                                              'longer. The daily job deletes it afterwards.'))

    def __init__(self, *args, user=None, record=None, **kwargs):
        super().__init__(*args, new=record is None, **kwargs)
        include = [record.entry_id] if record is not None else []
        self.entry.set_choices([CHOOSE] + entry_choices(user, include=include))
        self.recipient_country.set_choices(country_choices())

    @property
    def exempt(self):
        return self.basis.data in C.RECORD_EXEMPT_BASES

    def _consent_requires(self, field, message):
        if self.basis.data == 'consent' and blank(field.data):
            raise ValidationError(message)

    def validate_recipient_address(self, field):
        self._consent_requires(field, _('Enter the recipient\'s address: APPI requires it in '
                                        'the record.'))

    def validate_persons_description(self, field):
        self._consent_requires(field, _('Say whose data was provided.'))

    def validate_items(self, field):
        self._consent_requires(field, _('List the items of personal data provided.'))

    def validate_consent_evidence(self, field):
        self._consent_requires(field, _('Say how consent was obtained and where the proof is '
                                        'kept.'))

    def validate_note(self, field):
        if self.exempt and blank(field.data):
            raise ValidationError(_('No record is required for this basis: keep a note of the '
                                    'law, contract or joint-use notice instead.'))

    def validate_provided_until(self, field):
        if field.data is not None and self.provided_on.data is not None \
                and field.data < self.provided_on.data:
            raise ValidationError(_('The period cannot end before it starts (%(day)s).',
                                    day=self.provided_on.data.isoformat()))

    def keeping_period(self):
        """The ``legaldates.Count`` of the law's keeping period with the dates entered, or
        None while they are missing or wrong."""
        if self.provided_on.data is None or self.record_case.data not in C.RETENTION_YEARS \
                or self.recorded_on.data is None or self.provided_until.errors:
            return None
        return legaldates.provision_record_kept_until(
            self.record_case.data, self.provided_on.data, self.provided_until.data,
            self.recorded_on.data)

    def minimum_keep_until(self):
        """The day the record is required until ("required until"), or None."""
        period = self.keeping_period()
        return period.deadline if period is not None else None

    def validate_keep_until(self, field):
        if field.data is None:
            return
        provided = self.provided_until.data or self.provided_on.data
        if provided is not None and field.data < provided:
            raise ValidationError(_('The keep-until date cannot be before the provision '
                                    '(%(day)s).', day=provided.isoformat()))
        minimum = self.minimum_keep_until()
        if minimum is not None and field.data < minimum:
            raise ValidationError(_('APPI requires this record until %(day)s: give that '
                                    'day or a later one, or leave the field empty to use '
                                    'it.', day=minimum.isoformat()))

    def service_data(self):
        data = {name: getattr(self, name).data for name in (
            'basis', 'recipient_name', 'recipient_address', 'recipient_representative',
            'recipient_country', 'provided_on', 'provided_until', 'record_case', 'recorded_on',
            'persons_description', 'items', 'person_count', 'consent_evidence', 'note',
            'keep_until')}
        for name in ('recipient_address', 'recipient_representative', 'persons_description',
                     'items', 'consent_evidence', 'note'):
            data[name] = data[name] or ''
        data['entry'] = int(self.entry.data)
        data['recipient_country'] = data['recipient_country'] or 'JP'
        return data


class AssetForm(VersionedForm):
    tag = text(_l('Asset tag'), 40, required=True,
               description=_l('The label on the device, e.g. USB-SALES-012.'))
    kind = ChoiceField(_l('Type'), choices=[CHOOSE] + list(C.ASSET_KINDS),
                       validators=[InputRequired(message=_l('Choose the type.'))])
    description = text(_l('Make, model and serial number'), 200)
    department = ChoiceField(_l('Department'), validators=[InputRequired()],
                             invalid_message=_l('Choose one of the departments you manage.'))
    location = text(_l('Location'), 200, required=True,
                    description=_l('Where it is kept, e.g. “Cabinet S-2, 5th floor”.'))
    custodian = ChoiceField(_l('Custodian'), validators=[
        InputRequired(message=_l('Choose the person responsible for it.'))],
        invalid_message=_l('Choose an active person.'))
    portable = BooleanField(_l('Portable (a laptop, or anything taken out of the office)'),
                            description=_l('USB memory, external disks and backup tapes always '
                                           'count as portable.'))
    encrypted = BooleanField(_l('Encrypted (full-disk or device encryption)'))
    locked_storage = BooleanField(_l('Kept in locked storage when not in use'))
    entries = CheckboxesField(_l('Ledger entries whose data it holds'))
    note = area(_l('Note'), 1000)

    def __init__(self, *args, user=None, asset=None, **kwargs):
        super().__init__(*args, new=asset is None, **kwargs)
        self.asset = asset
        include_people = [asset.custodian_id] if asset is not None and asset.custodian_id else []
        self.custodian.set_choices([CHOOSE] + people_choices(include_people))
        self.department.set_choices(managed_departments(
            user, include=asset.department_id if asset is not None else None))
        linked = getattr(asset, 'linked_entry_ids', ()) if asset is not None else ()
        choices = entry_choices(user, include=linked_in_scope(user, linked))
        self.entries.set_choices(choices)
        # Links to entries of departments the editor does not manage are neither shown
        # nor dropped.
        offered = {entry_id for entry_id, _label in choices}
        self.kept_entry_ids = [entry_id for entry_id in linked if entry_id not in offered]

    def validate_tag(self, field):
        tag = (field.data or '').strip()
        if not TAG.match(tag):
            raise ValidationError(_('Use letters, digits and . _ / - only (at most 40).'))
        existing = Asset.get_or_none(Asset.tag == tag)
        if existing is not None and (self.asset is None or existing.id != self.asset.id):
            raise ValidationError(_('Another asset already has this tag.'))

    def validate_encrypted(self, field):
        if field.data and self.kind.data in C.UNENCRYPTABLE_KINDS:
            raise ValidationError(_('Paper cannot be encrypted: keep it in locked storage.'))

    def service_data(self):
        return {
            'tag': self.tag.data, 'kind': self.kind.data, 'description': self.description.data
            or '', 'department': int(self.department.data), 'location': self.location.data,
            'custodian': int(self.custodian.data), 'portable': bool(self.portable.data),
            'encrypted': bool(self.encrypted.data),
            'locked_storage': bool(self.locked_storage.data), 'note': self.note.data or '',
            'entry_ids': ids(self.entries.data) + self.kept_entry_ids,
        }


def asset_label(asset):
    label = '%s — %s (%s)' % (asset.tag, asset.kind_label, asset.department.code)
    if asset.description:
        label = '%s — %s' % (label, asset.description)
    if asset.unencrypted_portable:
        label = '%s — %s' % (label, _('not encrypted'))
    return label


class CarryOutForm(FlaskForm):
    asset = ChoiceField(_l('Device or medium'), validators=[
        InputRequired(message=_l('Choose what you take out.'))],
        invalid_message=_l('Choose a device or medium of your department that is in the '
                           'office.'),
        description=_l('Those of your department that are in the office.'))
    requested_by = ChoiceField(_l('Requested by'), validators=[
        InputRequired(message=_l('Choose who takes it out.'))],
        invalid_message=_l('Choose an active person.'))
    out_on = required_date(_l('Taken out on'))
    expected_return_on = required_date(_l('Expected back on'))
    destination = text(_l('Destination'), 200, required=True,
                       description=_l('Where it goes, e.g. “Customer office, Osaka”.'))
    purpose = area(_l('Purpose'), 1000, required=True)
    exception_reason = area(
        _l('Why an unencrypted medium (exception)'), 1000,
        description=_l('Only for a portable medium that is not encrypted: why it must be '
                       'this one. The Protection Committee decides on the exception.'))

    def __init__(self, *args, user=None, asset=None, **kwargs):
        """``asset``: the asset asked for (its page); None offers those ``user`` may ask
        for. One of its managers may record the request for someone else."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.fixed_asset = asset
        if asset is None:
            self.assets = {a.id: a for a in Asset.requestable_by(user)}
            self.asset.set_choices([CHOOSE] + [(a.id, asset_label(a))
                                               for a in self.assets.values()])
        else:
            del self.asset
        if asset is not None and user.manages(asset.department_id):
            self.requested_by.set_choices([CHOOSE] + people_choices())
        else:
            del self.requested_by

    def chosen_asset(self):
        """The asset of the request (None while none valid is chosen)."""
        if self.fixed_asset is not None:
            return self.fixed_asset
        return self.assets.get(int_arg(self.asset.data))

    def validate_out_on(self, field):
        if field.data is None:
            return
        if field.data < today_local():
            raise ValidationError(_('Ask before the asset leaves: choose today or a later '
                                    'day.'))
        if field.data > today_local() + datetime.timedelta(days=366):
            raise ValidationError(_('Record a carry-out at most a year ahead.'))

    def validate_expected_return_on(self, field):
        out = self.out_on.data
        if field.data is None or out is None:
            return
        if field.data < out:
            raise ValidationError(_('It cannot come back before it is taken out (%(day)s).',
                                    day=out.isoformat()))
        if field.data > out + datetime.timedelta(days=366):
            raise ValidationError(_('A carry-out lasts at most a year.'))

    def validate_exception_reason(self, field):
        asset = self.chosen_asset()
        if asset is not None and asset.unencrypted_portable and blank(field.data):
            raise ValidationError(_('%(tag)s is not encrypted: say why it must be carried '
                                    'out all the same.', tag=asset.tag))

    def service_data(self):
        requester = (int(self.requested_by.data) if 'requested_by' in self
                     else self.user.id)
        return {'requested_by': requester, 'out_on': self.out_on.data,
                'expected_return_on': self.expected_return_on.data,
                'destination': self.destination.data, 'purpose': self.purpose.data,
                'exception_reason': self.exception_reason.data or ''}


class DecisionForm(FlaskForm):
    note = text(_l('Reason or condition'), 500)


class ReturnForm(FlaskForm):
    returned_on = required_date(_l('Returned on'), not_in_future, default=today_local)
    note = text(_l('Condition on return'), 500,
                description=_l('E.g. “checked, nothing missing”.'))


class DisposalForm(FlaskForm):
    disposed_on = required_date(_l('Disposed of on'), not_in_future, default=today_local)
    method = ChoiceField(_l('Method'), choices=[CHOOSE] + list(C.DISPOSAL_METHODS),
                         validators=[InputRequired(message=_l('Choose the disposal method.'))])
    contractor = ChoiceField(_l('Disposal contractor'),
                             description=_l('For “Disposal contractor”: the company, from the '
                                            'contractor register.'),
                             invalid_message=_l('Choose a contractor from the register.'))
    performed_by = ChoiceField(_l('Performed by'), validators=[
        InputRequired(message=_l('Choose who performed the disposal.'))],
        invalid_message=_l('Choose an active person.'))
    witness = ChoiceField(_l('Witness'), validators=[
        InputRequired(message=_l('Choose the witness: a disposal needs one.'))],
        invalid_message=_l('Choose an active person.'))
    certificate = FileField(_l('Certificate of destruction (PDF, PNG or JPEG)'),
                            description=_l('Required from a disposal contractor. After a '
                                           'correction, choose the file again.'))
    note = area(_l('Note'), 1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload = None
        people = [CHOOSE] + people_choices()
        self.performed_by.set_choices(people)
        self.witness.set_choices(people)
        self.contractor.set_choices([CHOOSE] + Contractor.choices_for_disposal())

    def validate_contractor(self, field):
        if self.method.data == 'disposal_contractor' and not field.data:
            raise ValidationError(_('Choose the disposal contractor.'))
        if self.method.data != 'disposal_contractor' and field.data:
            raise ValidationError(_('A contractor is only chosen for “Disposal contractor”.'))

    def validate_witness(self, field):
        if field.data and field.data == self.performed_by.data:
            raise ValidationError(_('The witness must be someone other than the person who '
                                    'performed the disposal.'))

    def validate_certificate(self, field):
        storage = field.data
        if storage is None or not getattr(storage, 'filename', ''):
            if self.method.data == 'disposal_contractor':
                raise ValidationError(_('Upload the contractor\'s certificate of destruction.'))
            return
        try:
            self.upload = read_upload(storage)
        except UploadError as exc:
            raise ValidationError(str(exc)) from None

    def service_data(self):
        return {'disposed_on': self.disposed_on.data, 'method': self.method.data,
                'contractor': int(self.contractor.data) if self.contractor.data else None,
                'performed_by': int(self.performed_by.data),
                'witness': int(self.witness.data), 'note': self.note.data or ''}


class PurposeChangeForm(VersionedForm):
    entry = ChoiceField(_l('Ledger entry'), validators=[
        InputRequired(message=_l('Choose the ledger entry whose purpose changes.'))],
        invalid_message=_l('Choose an entry of a department you manage.'),
        description=_l('Its purposes of use now are the previous ones; they are shown once '
                       'the entry is chosen.'))
    new_purpose = area(_l('New purpose of use'), 4000, required=True, render_kw={'rows': 4},
                       description=_l('The whole new text, as the ledger will hold it. A '
                                      'change beyond what the persons could reasonably '
                                      'expect needs their consent, not a notice (APPI Art. '
                                      '17(2)).'))
    notified_on = required_date(_l('Persons notified on'), not_in_future)
    effective_on = required_date(
        _l('Takes effect on'),
        description=_l('After the notice. On this day the ledger entry gets the new purposes '
                       '(a revision records the change), unless the notice is withdrawn.'))
    channel = ChoiceField(_l('How they were notified'), choices=[CHOOSE] + list(C.CHANNELS),
                          validators=[InputRequired(message=_l('Choose how they were '
                                                               'notified.'))])
    channel_detail = text(_l('Notice details'), 300,
                          description=_l('E.g. the web page address or the mailing '
                                         'reference.'))
    refusals_count = IntegerField(_l('Refusals received'), default=0, validators=[
        InputRequired(message=_l('Enter the number of refusals (0 if none).')),
        NumberRange(min=0, max=200_000_000, message=_l('Enter a whole number from 0.'))])
    refusals_note = area(_l('How the refusals were handled'), 2000,
                         description=_l('Required when there are refusals, e.g. “excluded '
                                        'from the new use”.'))

    def __init__(self, *args, user=None, notice=None, **kwargs):
        super().__init__(*args, new=notice is None, **kwargs)
        self.notice = notice
        if notice is None:
            self.entry.set_choices([CHOOSE] + entry_choices(user))
        else:
            del self.entry
            if not notice.is_scheduled:
                # In effect: the purposes and dates are history.
                del self.new_purpose, self.notified_on, self.effective_on

    def chosen_entry(self):
        """The entry whose purposes change (None while none valid is chosen)."""
        if self.notice is not None:
            return self.notice.entry
        entry_id = int_arg(self.entry.data)
        if entry_id is None or str(entry_id) not in choice_values(self.entry.choices):
            return None
        return LedgerEntry.get_or_none(LedgerEntry.id == entry_id)

    def previous_purposes(self):
        if self.notice is not None:
            return self.notice.previous_purpose
        entry = self.chosen_entry()
        return entry.purposes if entry is not None else None

    def validate_entry(self, field):
        entry = self.chosen_entry()
        waiting = PurposeChange.scheduled_for(entry.id) if entry is not None else None
        if waiting is not None:
            raise ValidationError(_('%(ref)s already changes this entry\'s purposes on %(day)s: '
                                    'withdraw it first.', ref=waiting.reference,
                                    day=waiting.effective_on.isoformat()))

    def validate_new_purpose(self, field):
        previous = self.previous_purposes()
        if field.data and previous is not None and field.data.strip() == previous.strip():
            raise ValidationError(_('The new purpose is the same as the previous one.'))

    def validate_effective_on(self, field):
        notified = self.notified_on.data
        if field.data is not None and notified is not None and field.data <= notified:
            raise ValidationError(_('The persons must be told before the change takes '
                                    'effect: choose a day after %(day)s.',
                                    day=notified.isoformat()))

    def validate_refusals_note(self, field):
        if (self.refusals_count.data or 0) > 0 and blank(field.data):
            raise ValidationError(_('Say how the refusals were handled.'))

    def service_data(self):
        data = {'channel': self.channel.data, 'channel_detail': self.channel_detail.data or '',
                'refusals_count': self.refusals_count.data,
                'refusals_note': self.refusals_note.data or ''}
        if 'entry' in self:
            data['entry'] = int(self.entry.data)
        if 'new_purpose' in self:
            data.update(new_purpose=self.new_purpose.data, notified_on=self.notified_on.data,
                        effective_on=self.effective_on.data)
        return data


class WithdrawForm(FlaskForm):
    reason = area(_l('Why the notice is withdrawn'), 1000, required=True,
                  description=_l('E.g. “the new use was dropped”. The entry keeps its '
                                 'purposes.'))


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = text(_l('Search'), 100)
    department = ChoiceField(_l('Department'),
                             invalid_message=_l('Choose one of the listed departments.'))

    def __init__(self, formdata, departments=(), **kwargs):
        """``departments``: the (id, label) pairs the user may filter by."""
        super().__init__(formdata, **kwargs)
        self.department.set_choices([('', _l('All'))] + list(departments))

    def filters(self):
        return {'q': self.q.data or None,
                'department_id': int(self.department.data) if self.department.data else None}


class ContractorFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = text(_l('Search'), 100)
    flag = ChoiceField(_l('Needs attention'), choices=[('', _l('All'))] + list(
        C.CONTRACTOR_FLAGS))
    status = ChoiceField(_l('Status'), choices=[('', _l('Current')), ('ended', _l('Ended')),
                                                ('all', _l('All'))])
    country = ChoiceField(_l('Country'))

    def __init__(self, formdata, **kwargs):
        super().__init__(formdata, **kwargs)
        self.country.set_choices([('', _l('All'))] + country_choices())

    def filters(self):
        return {'q': self.q.data or None, 'flag': self.flag.data or None,
                'status': self.status.data or None, 'country': self.country.data or None}


class ProvisionFilterForm(FilterForm):
    basis = ChoiceField(_l('Legal basis'), choices=[('', _l('All'))] + list(
        C.BASIS_SHORT.items()))
    keep = ChoiceField(_l('Keep-until'), choices=[('', _l('All')), (
        'expiring', _l('Deleted within 30 days'))])

    def filters(self):
        return dict(super().filters(), basis=self.basis.data or None,
                    keep=self.keep.data or None)


class AssetFilterForm(FilterForm):
    kind = ChoiceField(_l('Type'), choices=[('', _l('All'))] + list(C.ASSET_KINDS))
    state = ChoiceField(_l('State'), choices=[('', _l('Not disposed of'))] + list(
        C.ASSET_STATES) + [('all', _l('All'))])
    flag = ChoiceField(_l('Needs attention'), choices=[('', _l('All'))] + list(C.ASSET_FLAGS))

    def filters(self):
        return dict(super().filters(), kind=self.kind.data or None,
                    state=self.state.data or None, flag=self.flag.data or None)


class PurposeChangeFilterForm(FilterForm):
    channel = ChoiceField(_l('Channel'), choices=[('', _l('All'))] + list(C.CHANNELS))
    status = ChoiceField(_l('Status'), choices=[('', _l('All'))] + list(C.NOTICE_STATUSES))

    def filters(self):
        return dict(super().filters(), channel=self.channel.data or None,
                    status=self.status.data or None)


class CarryOutFilterForm(FlaskForm):
    class Meta:
        csrf = False

    show = ChoiceField(_l('Show'), choices=[('mine', _l('My requests')),
                                            ('awaiting', _l('Awaiting my decision'))],
                       invalid_message=_l('Choose one of the listed views.'))

    def filters(self):
        return {'show': self.show.data or 'mine'}
