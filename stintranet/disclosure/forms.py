"""Forms of the Requests for Disclosure: intake, checklist, decision, response, completion."""
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..forms import CheckboxesField, VersionedForm, not_in_future, options, required_date
from ..timezone import today_local
from ..uploads import UploadError, read_upload
from . import catalogue as C
from . import checklist

MAIL_NUMBER = re.compile(r'^[0-9][0-9 \-]{6,28}[0-9]$')
PHONE = re.compile(r'^\+?[0-9][0-9 ()\-]{5,23}$')


def date_field(label, **kwargs):
    """A date from 2000 up to today (Japan time): nothing is received in the future."""
    return required_date(label, not_in_future, **kwargs)


class DetailsForm(VersionedForm):
    """What the Customer Center records from the letter (also used to correct it)."""
    received_on = date_field(_l('Received on'), default=today_local)
    mail_number = StringField(_l('Registered-mail number'), validators=[
        DataRequired(), Length(max=40)],
        description=_l('The number on the registered-mail receipt, e.g. 1234-5678-9012.'))
    types = CheckboxesField(_l('What is requested'), choices=options(C.TYPES))
    requested_method = SelectField(_l('Response method asked for'),
                                   choices=options(C.REQUESTED_METHODS), default=C.UNSPECIFIED)
    language = SelectField(_l("Requester's language"), choices=options(C.LANGUAGES),
                           default=C.JAPANESE,
                           description=_l('The letters to the requester are written in this '
                                          'language, whatever the language of the person '
                                          'printing them.'))
    requester_name = StringField(_l("Requester's name"), validators=[
        DataRequired(), Length(max=120)])
    requester_address = TextAreaField(_l("Requester's address"), validators=[
        DataRequired(), Length(max=300)], render_kw={'rows': 3})
    requester_phone = StringField(_l("Requester's telephone"), validators=[
        Optional(), Length(max=24)])
    requester_email = StringField(_l("Requester's e-mail"), validators=[
        Optional(), Length(max=254), Email(check_deliverability=False)])
    proxy_kind = SelectField(_l('Made by'), choices=options(C.PROXY_KINDS),
                             default=C.IN_PERSON)
    proxy_name = StringField(_l("Proxy's name"), validators=[Length(max=120)],
                             description=_l('Only for a request by proxy.'))
    proxy_relationship = StringField(_l("Proxy's relationship to the requester"),
                                     validators=[Length(max=120)],
                                     description=_l('e.g. parent of a minor, adult guardian, '
                                                    'attorney.'))
    concerns_minor = BooleanField(_l('The request concerns a minor (under 18)'),
                                  description=_l("The checklist then asks for the legal "
                                                 "representative's documents or consent."))

    def validate_mail_number(self, field):
        value = (field.data or '').strip()
        if not MAIL_NUMBER.match(value) or sum(ch.isdigit() for ch in value) < 8:
            raise ValidationError(_l('Enter the registered-mail number: 8 to 20 digits, '
                                     'hyphens allowed.'))

    def validate_types(self, field):
        if not field.data:
            raise ValidationError(_l('Choose at least one kind of request.'))

    def validate_requester_phone(self, field):
        value = (field.data or '').strip()
        if value and not PHONE.match(value):
            raise ValidationError(_l('Enter a telephone number with digits, spaces, hyphens '
                                     'or a leading +.'))

    def validate_proxy_name(self, field):
        if self.proxy_kind.data != C.IN_PERSON and not (field.data or '').strip():
            raise ValidationError(_l("Enter the proxy's name for a request by proxy."))

    def validate_proxy_relationship(self, field):
        if self.proxy_kind.data != C.IN_PERSON and not (field.data or '').strip():
            raise ValidationError(_l("Enter the proxy's relationship to the requester."))

    def values(self):
        return {name: getattr(self, name).data for name in (
            'received_on', 'mail_number', 'types', 'requested_method', 'language',
            'requester_name',
            'requester_address', 'requester_phone', 'requester_email', 'proxy_kind',
            'proxy_name', 'proxy_relationship', 'concerns_minor')}


# The intake form's file fields: (field name, document kind).
INTAKE_FILES = (
    ('doc_application_form', C.APPLICATION_FORM),
    ('doc_identity_document', C.IDENTITY_DOCUMENT),
    ('doc_relationship_document', C.RELATIONSHIP_DOCUMENT),
    ('doc_representative_id', C.REPRESENTATIVE_ID),
    ('doc_power_of_attorney', C.POWER_OF_ATTORNEY),
    ('doc_seal_certificate', C.SEAL_CERTIFICATE),
)

FILE_HINT = _l('PDF, PNG or JPEG, up to 10 MB.')


class IntakeForm(DetailsForm):
    """A new request with its scanned documents."""
    doc_application_form = FileField(C.DOCUMENT_LABELS[C.APPLICATION_FORM],
                                     description=FILE_HINT)
    doc_identity_document = FileField(
        C.DOCUMENT_LABELS[C.IDENTITY_DOCUMENT],
        description=_l('PDF, PNG or JPEG, up to 10 MB. Never keep the back of a My Number '
                       'card: mask the individual number before scanning.'))
    doc_relationship_document = FileField(C.DOCUMENT_LABELS[C.RELATIONSHIP_DOCUMENT],
                                          description=FILE_HINT)
    doc_representative_id = FileField(C.DOCUMENT_LABELS[C.REPRESENTATIVE_ID],
                                      description=FILE_HINT)
    doc_power_of_attorney = FileField(C.DOCUMENT_LABELS[C.POWER_OF_ATTORNEY],
                                      description=FILE_HINT)
    doc_seal_certificate = FileField(C.DOCUMENT_LABELS[C.SEAL_CERTIFICATE],
                                     description=FILE_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, new=True, **kwargs)
        self.documents = []

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        self.documents = []
        for name, kind in INTAKE_FILES:
            field = getattr(self, name)
            storage = field.data
            if storage is None or not getattr(storage, 'filename', ''):
                continue
            try:
                data, mime, filename = read_upload(storage)
            except UploadError as exc:
                field.errors = list(field.errors) + [str(exc)]
                ok = False
                continue
            self.documents.append((kind, data, mime, filename))
        kinds = {kind for kind, *_rest in self.documents}
        if C.APPLICATION_FORM not in kinds and not self.doc_application_form.errors:
            self.doc_application_form.errors = list(self.doc_application_form.errors) + [
                checklist.MISSING_APPLICATION_FORM]
            ok = False
        proxy_docs = checklist.proxy_documents(self.proxy_kind.data)
        failed = any(getattr(self, name).errors for name, kind in INTAKE_FILES
                     if kind in proxy_docs)
        if proxy_docs and not kinds.intersection(proxy_docs) and not failed:
            self.proxy_kind.errors = list(self.proxy_kind.errors) + [
                checklist.proxy_documents_message(self.proxy_kind.data)]
            ok = False
        return ok


class ChecklistForm(FlaskForm):
    id_document_type = SelectField(_l('Identity document type'),
                                   choices=options([('', _l('Not yet checked'))]
                                                  + list(C.ID_DOCUMENT_TYPES)))
    form_complete = BooleanField(checklist.CHECKS[0][1])
    address_matches = BooleanField(checklist.CHECKS[1][1])
    relationship_document_checked = BooleanField(checklist.CHECKS[2][1])
    representative_id_checked = BooleanField(checklist.CHECKS[3][1])
    power_of_attorney_checked = BooleanField(checklist.CHECKS[4][1])
    seal_certificate_checked = BooleanField(checklist.CHECKS[5][1])
    minor_age_checked = BooleanField(checklist.CHECKS[6][1])
    representative_consent_checked = BooleanField(checklist.CHECKS[7][1])

    def ticked(self):
        return {name: getattr(self, name).data for name in checklist.CHECK_FIELDS}


class UploadForm(FlaskForm):
    kind = SelectField(_l('Document'), choices=options([('', _l('Choose…'))]
                                                        + list(C.DOCUMENT_KINDS)))
    file = FileField(_l('File'), description=FILE_HINT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload = None

    def validate_kind(self, field):
        if field.data not in C.DOCUMENT_LABELS:
            raise ValidationError(_l('Choose what the document is.'))

    def validate_file(self, field):
        try:
            self.upload = read_upload(field.data)
        except UploadError as exc:
            raise ValidationError(str(exc)) from None


class StepForm(VersionedForm):
    """A one-button state change (start verification)."""


class ConfirmIdentityForm(VersionedForm):
    verified_on = date_field(_l('Identity verified on'), default=today_local)


class AcceptForm(VersionedForm):
    decided_on = date_field(_l('Accepted on'), default=today_local)


class RefuseForm(VersionedForm):
    refusal_reason = SelectField(_l('Reason notified'),
                                 choices=options([('', _l('Choose…'))]
                                                 + list(C.REFUSAL_REASONS)))
    explanation = TextAreaField(_l('Explanation to the requester'), validators=[
        Length(max=2000)], render_kw={'rows': 4},
        description=_l('Printed on the refusal letter. Do not repeat the requester’s personal '
                       'data here.'))
    decided_on = date_field(_l('Refused on'), default=today_local)

    def validate_refusal_reason(self, field):
        if field.data not in C.REFUSAL_LABELS:
            raise ValidationError(_l('Choose the reason notified to the requester.'))

    def validate_explanation(self, field):
        if not (field.data or '').strip():
            raise ValidationError(_l('Explain the refusal to the requester.'))


class ResponseForm(VersionedForm):
    response_method = SelectField(_l('Sent as'), choices=options([('', _l('Choose…'))]
                                                  + list(C.RESPONSE_METHODS)))
    paper_reason = TextAreaField(
        _l('Why paper instead of an electronic record'), validators=[Length(max=1000)],
        render_kw={'rows': 3},
        description=_l('Required when the requester asked for an electronic record but it '
                       'would cost too much or be too difficult; notified to the requester.'))
    responded_on = date_field(_l('Sent on'), default=today_local)

    def __init__(self, *args, request_obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_obj = request_obj

    def validate_response_method(self, field):
        if field.data not in C.RESPONSE_METHOD_LABELS:
            raise ValidationError(_l('Choose how the response was sent.'))

    def validate_responded_on(self, field):
        req = self.request_obj
        if req is not None and field.data and field.data < req.received_on:
            raise ValidationError(_l(
                'A response cannot be sent before the request was received (%(date)s).',
                date=req.received_on.isoformat()))

    def validate_paper_reason(self, field):
        req = self.request_obj
        if (req is not None and req.requested_method == C.ELECTRONIC
                and self.response_method.data == C.PAPER and not (field.data or '').strip()):
            raise ValidationError(_l('The requester asked for an electronic record: give the '
                                     'reason for answering on paper instead.'))


class CompleteForm(VersionedForm):
    completed_on = date_field(_l('Completed on'), default=today_local)
