"""Two staff publishing the same run, or changing it while it is published: one wins."""

import pytest
from django.db import connection

from binome.matching import services
from binome.matching.enums import RunState
from binome.matching.models import MentorOffer
from binome.pairs.models import Pair
from tests.factories import ProgrammeFactory, UserFactory
from tests.matching.app_helpers import people
from tests.races import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are meaningful on PostgreSQL; SQLite serialises writers",
    ),
]


def _run():
    programme = ProgrammeFactory()
    people(programme, 3, 3)
    run = services.start_run(programme, acting_user=None)  # autocommit: computed at once
    run.refresh_from_db()
    assert run.state == RunState.DONE
    return run


def test_two_staff_publishing_the_same_run():
    run = _run()
    a, b = UserFactory(), UserFactory()
    results, errors = race(
        lambda: services.publish_run(run, acting_user=a),
        lambda: services.publish_run(run, acting_user=b),
    )
    assert (len(results), len(errors)) == (1, 1)
    assert Pair.objects.count() == 3
    assert MentorOffer.objects.count() == 3


def test_removing_while_publishing():
    run = _run()
    proposal = run.proposals.first()
    results, errors = race(
        lambda: services.publish_run(run, acting_user=None),
        lambda: services.remove_proposal(proposal, acting_user=None),
    )
    assert len(results) >= 1
    proposal.refresh_from_db()
    # Either the pair was removed before publishing, or published and not removed.
    assert (proposal.removed, proposal.pair_id is None) in {(True, True), (False, False)}
    assert Pair.objects.count() == 3 - int(proposal.removed)
