"""The risk assessment's vocabularies: the stages of the data's life, the threats, the
ratings and how the residual risk follows from them (JIS Q 15001 6.1.2, A.3.3.3)."""
from flask_babel import lazy_gettext as _l

# The stages of the data's life cycle, in order (取得・利用・保管・移送・送信・廃棄).
STAGES = (
    ('acquisition', _l('Acquisition')),
    ('use', _l('Use')),
    ('storage', _l('Storage')),
    ('transfer', _l('Transfer and transmission')),
    ('disposal', _l('Disposal')),
)
STAGE_LABELS = dict(STAGES)
STAGE_CODES = tuple(code for code, _label in STAGES)

NOT_APPLICABLE = 'not_applicable'
THREATS = (
    ('leak', _l('Leak')),
    ('loss', _l('Loss')),
    ('damage', _l('Destruction or damage')),
    ('falsification', _l('Falsification')),
    ('unauthorised_access', _l('Unauthorised access')),
    ('misdelivery', _l('Misdelivery or wrong recipient')),
    ('misuse', _l('Use beyond the purpose')),
    (NOT_APPLICABLE, _l('This stage does not occur in the process')),
)
THREAT_LABELS = dict(THREATS)

LIKELIHOODS = (
    (1, _l('1 — rare')),
    (2, _l('2 — possible')),
    (3, _l('3 — likely')),
)
IMPACTS = (
    (1, _l('1 — minor')),
    (2, _l('2 — serious')),
    (3, _l('3 — severe')),
)

LOW, MEDIUM, HIGH = 'low', 'medium', 'high'
LEVELS = ((LOW, _l('Low')), (MEDIUM, _l('Medium')), (HIGH, _l('High')))
LEVEL_LABELS = dict(LEVELS)
LEVEL_RANK = {LOW: 1, MEDIUM: 2, HIGH: 3}


def level(likelihood, impact):
    """The risk level of a likelihood and an impact (each 1-3) rated with the measures in
    place: their product 1-2 is low, 3-4 medium, 6-9 high (the matrix on the page)."""
    if not likelihood or not impact:
        return None
    score = int(likelihood) * int(impact)
    if score <= 2:
        return LOW
    if score <= 4:
        return MEDIUM
    return HIGH


def matrix():
    """[(likelihood, [(impact, level)])], the likeliest first, as the page draws it."""
    return [(likelihood, [(impact, level(likelihood, impact)) for impact in (1, 2, 3)])
            for likelihood in (3, 2, 1)]
