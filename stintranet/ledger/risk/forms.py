"""The risk-assessment form: a list of risks, each with its stage, and a note.

Rows left blank are ignored, so the form always offers an empty row per stage for a new
risk; a row is removed by ticking its box. Every stage needs at least one risk, or one
row saying that the stage does not occur in the process.
"""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, FormField, StringField, TextAreaField
from wtforms import Form as SubForm
from wtforms.validators import Length

from ...forms import ChoiceField, VersionedForm
from . import catalogue as C

MAX_RISKS = 60
TEXT_MAX = 2000


def strip(value):
    return value.strip() if isinstance(value, str) else value


class RiskRowForm(SubForm):
    """One risk (a plain sub-form: the page's form carries the CSRF token)."""

    stage = ChoiceField(_l('Stage'), choices=C.STAGES)
    threat = ChoiceField(_l('Risk'), choices=[('', _l('— choose —'))] + list(C.THREATS))
    scenario = TextAreaField(_l('What could happen'), filters=[strip],
                             validators=[Length(max=500)], render_kw={'rows': 2})
    likelihood = ChoiceField(_l('Likelihood'),
                             choices=[('', '—')] + [(str(k), v) for k, v in C.LIKELIHOODS])
    impact = ChoiceField(_l('Impact'),
                         choices=[('', '—')] + [(str(k), v) for k, v in C.IMPACTS])
    measures = TextAreaField(_l('Measures'), filters=[strip],
                             validators=[Length(max=TEXT_MAX)], render_kw={'rows': 2})
    residual_override = ChoiceField(_l('Residual risk'), choices=[
        ('', _l('Follow the matrix'))] + list(C.LEVELS))
    override_reason = StringField(_l('Reason for the residual risk given'), filters=[strip],
                                  validators=[Length(max=500)])
    remove = BooleanField(_l('Remove this risk'))

    def is_blank(self):
        return not (self.threat.data or self.scenario.data or self.measures.data)

    def check(self):
        """Errors of a row that is kept; True when it is complete."""
        ok = True

        def need(field, message):
            nonlocal ok
            field.errors = list(field.errors) + [message]
            ok = False

        if not self.threat.data:
            need(self.threat, _('Choose the risk, or clear the row.'))
        elif self.threat.data == C.NOT_APPLICABLE:
            if not self.scenario.data:
                need(self.scenario, _('Say why this stage does not occur.'))
        else:
            if not self.likelihood.data:
                need(self.likelihood, _('Rate the likelihood.'))
            if not self.impact.data:
                need(self.impact, _('Rate the impact.'))
            if not self.measures.data:
                need(self.measures, _('Describe the measures taken.'))
            if self.residual_override.data and not self.override_reason.data:
                need(self.override_reason, _('Give the reason for the residual risk you '
                                             'chose.'))
        return ok

    def risk_data(self):
        not_applicable = self.threat.data == C.NOT_APPLICABLE
        return {
            'stage': self.stage.data, 'threat': self.threat.data,
            'scenario': self.scenario.data or '',
            'likelihood': None if not_applicable else int(self.likelihood.data),
            'impact': None if not_applicable else int(self.impact.data),
            'measures': '' if not_applicable else self.measures.data or '',
            'residual_override': '' if not_applicable else self.residual_override.data or '',
            'override_reason': ('' if not_applicable or not self.residual_override.data
                                else self.override_reason.data or ''),
        }


class RiskAssessmentForm(VersionedForm):
    risks = FieldList(FormField(RiskRowForm), max_entries=MAX_RISKS)
    note = TextAreaField(_l('Note on the assessment'), filters=[strip],
                         validators=[Length(max=TEXT_MAX)], render_kw={'rows': 2},
                         description=_l('Who took part, what was looked at (optional).'))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage_errors = []

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        kept = []
        for row in self.risks:
            if row.remove.data or row.is_blank():
                continue
            ok = row.check() and ok
            kept.append(row)
        covered = {row.stage.data for row in kept}
        missing = [C.STAGE_LABELS[code] for code in C.STAGE_CODES if code not in covered]
        if missing:
            self.stage_errors.append(_(
                'Every stage needs at least one risk, or a row saying that it does not '
                'occur: %(stages)s.', stages=', '.join(str(label) for label in missing)))
            ok = False
        return ok

    def risks_data(self):
        """The kept risks in stage order, then in the order given."""
        rows = [row.form.risk_data() for row in self.risks
                if not row.remove.data and not row.is_blank()]
        return sorted(rows, key=lambda r: C.STAGE_CODES.index(r['stage']))

    def fill(self, risks, blank_per_stage=1):
        """Show ``risks`` (Risk rows or dicts), each stage followed by empty rows."""
        while len(self.risks):
            self.risks.pop_entry()
        for code in C.STAGE_CODES:
            for risk in [r for r in risks if _get(r, 'stage') == code]:
                self.risks.append_entry({
                    name: ('' if _get(risk, name) is None else str(_get(risk, name)))
                    for name in ('stage', 'threat', 'scenario', 'likelihood', 'impact',
                                 'measures', 'residual_override', 'override_reason')})
            for _n in range(blank_per_stage):
                self.risks.append_entry({'stage': code})


def _get(risk, name):
    return risk[name] if isinstance(risk, dict) else getattr(risk, name)
