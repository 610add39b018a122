"""The registers' pages, one module per register."""
from . import assets, carry_outs, contractors, index, provisions, purposes  # noqa: F401
