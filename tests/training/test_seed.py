"""The demo organisation's training, pledge and guideline data."""
from stintranet import seed
from stintranet.guidelines.models import Guideline, GuidelineVersion
from stintranet.pledges import models as pledge_models
from stintranet.timezone import today_local
from stintranet.training import models
from stintranet.training.models import PUBLISHED, Course


def test_demo_seed_has_partial_overdue_training_a_pledge_and_two_guideline_versions():
    """Does the demo seed give two published courses (one with a quiz), partial completion with some overdue, a mostly signed pledge and a guideline with two versions?"""
    context = seed.seed_demo('Demo-password-for-tests-2026')
    published = list(Course.select().where(Course.status == PUBLISHED))
    assert len(published) == 2 and sum(c.has_quiz for c in published) == 1
    chair = context['users']['chair']
    today = today_local()
    total = models.total_row(models.compliance(chair, today), 'all')
    assert 0 < total.completed < total.assigned and total.overdue > 0
    version = pledge_models.PledgeVersion.current()
    rows = pledge_models.compliance(chair, version)
    signed, people = sum(r.signed for r in rows), sum(r.people for r in rows)
    assert signed > people / 2 and signed < people
    guideline = Guideline.get(Guideline.code == 'GL-PI')
    assert GuidelineVersion.select().where(GuidelineVersion.guideline == guideline).count() == 2
