"""The home page: one panel per role the user holds."""
from flask import Blueprint

bp = Blueprint('dashboard', __name__)

from . import views  # noqa: E402,F401
