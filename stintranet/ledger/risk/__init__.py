"""The risk assessment of each ledger entry (JIS Q 15001 6.1.2, A.3.3.3): per stage of the
data's life, the risks, their likelihood and impact, the measures and the residual risk;
reviewed with the entry's yearly review. It lives on the entry page (``ledger/_risk.html``)
and its routes are the ledger blueprint's."""
from . import seed, views  # noqa: F401
