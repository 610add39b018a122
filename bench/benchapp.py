"""The app as the benchmark serves it: ``create_app()`` plus the raw-SQL twins.

    gunicorn --chdir <repo> 'bench.benchapp:make_app()'

The settings come from the STINTRANET_* environment (bench/run.py sets the instance
and the database). Only the benchmark imports this module; the twins never ship with
the app.
"""
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from bench import rawtwin  # noqa: E402
from stintranet import create_app  # noqa: E402


def make_app(config=None):
    app = create_app(config)
    app.register_blueprint(rawtwin.bp)
    return app
