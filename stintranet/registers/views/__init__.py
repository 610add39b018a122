"""The registers' pages, one module per register."""
from . import assets, contractors, index, provisions, purposes  # noqa: F401
