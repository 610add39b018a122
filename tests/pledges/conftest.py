"""Every test here runs inside the app (a fresh database)."""
import pytest


@pytest.fixture(autouse=True)
def _inside_app(app):
    return app
